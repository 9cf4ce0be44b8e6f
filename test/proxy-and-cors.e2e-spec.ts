import { createTestApp, ProbesModule, type TestApp } from './support';
import { closeAll } from './support/teardown';

describe('behind a proxy, for allowed origins', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      imports: [ProbesModule],
      env: { TRUST_PROXY: '1', CORS_ORIGINS: 'https://app.example.com,http://localhost:5173' },
    });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('with TRUST_PROXY=1 takes the client address and protocol from the forwarded headers', async () => {
    const res = await t.http
      .get('/api/v1/test-probes/request')
      .set('x-forwarded-for', '198.51.100.7, 203.0.113.9')
      .set('x-forwarded-proto', 'https');
    expect(res.body).toEqual({ ip: '203.0.113.9', protocol: 'https', cookies: {} });
  });

  it('allows a listed origin with credentials and exposes the request id', async () => {
    const res = await t.http.get('/health/live').set('origin', 'https://app.example.com');
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id,retry-after',
    });
  });

  it('answers a preflight from a listed origin', async () => {
    const res = await t.http
      .options('/api/v1/test-probes')
      .set('origin', 'http://localhost:5173')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,authorization');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('gives an unlisted origin no CORS headers', async () => {
    const res = await t.http.get('/health/live').set('origin', 'https://evil.example.net');
    expect(res.status).toBe(200);
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
  });
});
