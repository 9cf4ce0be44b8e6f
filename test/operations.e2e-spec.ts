import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestApp, ProbesModule, type TestApp } from './support';
import { closeAll } from './support/teardown';

describe('operations endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbesModule], env: { REDIS_URL: undefined } });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('GET /health/live answers 200 outside the /api/v1 prefix', async () => {
    const res = await t.http.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect((await t.http.get('/api/v1/health/live')).status).toBe(404);
  });

  it('GET /health/ready answers 200 once the database answers a ping', async () => {
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('GET /metrics exposes the HTTP duration histogram by route pattern and status, and process metrics', async () => {
    await t.http.get('/health/live');
    await t.http.get('/api/v1/test-probes/0123456789abcdef01234567');
    await t.http.delete('/api/v1/unknown/123');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} [1-9]/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/test-probes\/:id",status_code="404"\} 1/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="DELETE",route="unmatched",status_code="404"\} 1/,
    );
    expect(res.text).not.toContain('0123456789abcdef01234567');
    expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('GET /docs-json is a valid OpenAPI 3 document listing the routes, with bearer auth', async () => {
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    const document = res.body as {
      openapi: string;
      info: { title: string; version: string; description: string };
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'DobKonektor API', version: '0.1.0' });
    expect(document.info.description).toContain('requestId');
    const paths = Object.keys(document.paths);
    expect(paths.filter((path) => !path.startsWith('/api/v1/')).sort()).toEqual([
      '/health/live',
      '/health/ready',
      '/metrics',
    ]);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/signup',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/me',
        '/api/v1/users/{id}',
        '/api/v1/users/me',
        '/api/v1/tokens',
        '/api/v1/tokens/ledger',
        '/api/v1/invites',
      ]),
    );
    expect(document.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      refresh_token: expect.objectContaining({
        type: 'apiKey',
        in: 'cookie',
        name: 'refresh_token',
      }) as unknown,
    });
    expect(document.components.schemas).toHaveProperty('ErrorResponseDto');
  });

  it('GET /docs serves Swagger UI under a CSP without upgrade-insecure-requests', async () => {
    const res = await t.http.get('/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('swagger-ui');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('sets helmet headers and hides the framework', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });

  it('parses cookies and, with trust proxy off, ignores X-Forwarded-For', async () => {
    const res = await t.http
      .get('/api/v1/test-probes/request')
      .set('cookie', 'refresh_token=abc; theme=dark')
      .set('x-forwarded-for', '203.0.113.9')
      .set('x-forwarded-proto', 'https');
    expect(res.body).toEqual({
      ip: '127.0.0.1',
      protocol: 'http',
      cookies: { refresh_token: 'abc', theme: 'dark' },
    });
  });
});
