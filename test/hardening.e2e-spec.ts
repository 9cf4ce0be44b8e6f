import { JwtService } from '@nestjs/jwt';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { createTestApp, expectError, signUp, type TestApp } from './support';
import { closeAll } from './support/teardown';

/** The fixed secret the server signed with, before secrets left the source. */
const OLD_DEVELOPMENT_SECRET = 'dobkonektor-development-secret-not-for-production';
const PAYLOAD_MESSAGE = 'The request has forbidden keys or is nested too deeply';
const NO_TOKEN = 'A valid access token is required';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
}

describe('hardening: payloads, development secrets, methods', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  describe('deep nesting', () => {
    it('answers a 2,000-level body with 400 naming its field, before anything recurses over it, and logs no error', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ email: nested(2000), password: 'x' }));
      expectError(res, 400, 'VALIDATION_FAILED', PAYLOAD_MESSAGE, [
        { field: 'email', message: 'body must not be nested deeper than 32 levels' },
      ]);
      const errors = t.logs.lines().filter((line) => (line.level ?? 0) >= 50);
      expect(errors).toEqual([]);
    });

    it('accepts nesting up to 32 levels as far as the key guard goes (the DTO then judges it)', async () => {
      const res = await t.http.post('/api/v1/auth/login').send({ email: nested(31) });
      expect(res.status).toBe(400);
      expect((res.body as { details: { field: string }[] }).details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'email' })]),
      );
      expect((res.body as { message: string }).message).toBe('Validation failed');
    });

    it('answers a query string nested deeper than 32 levels with 400', async () => {
      const key = `cursor${'[a]'.repeat(40)}`;
      const user = await signUp(t);
      const res = await t.http.get('/api/v1/tokens/ledger').query(`${key}=1`).set(user.auth);
      expectError(res, 400, 'VALIDATION_FAILED', PAYLOAD_MESSAGE, [
        { field: key, message: 'query must not be nested deeper than 32 levels' },
      ]);
    });
  });

  describe('prototype keys', () => {
    it.each([
      ['__proto__ at the top', '{"__proto__":{"role":"admin"},"displayName":"Ada"}', '__proto__'],
      ['constructor at the top', '{"constructor":{"prototype":{}},"bio":"x"}', 'constructor'],
      ['prototype nested', '{"bio":"x","extra":{"prototype":1}}', 'extra.prototype'],
      ['__proto__ inside an array', '{"list":[{"__proto__":{"x":1}}]}', 'list.0.__proto__'],
    ])(
      'refuses %s in a body with 400 naming the field, and changes nothing',
      async (_, body, field) => {
        const user = await signUp(t);
        const before = (await t.http.get('/api/v1/auth/me').set(user.auth)).body as unknown;
        const res = await t.http
          .patch('/api/v1/users/me')
          .set(user.auth)
          .set('content-type', 'application/json')
          .send(body);
        expectError(res, 400, 'VALIDATION_FAILED', PAYLOAD_MESSAGE, [
          { field, message: 'body keys must not be __proto__, constructor or prototype' },
        ]);
        expect((await t.http.get('/api/v1/auth/me').set(user.auth)).body).toEqual(before);
      },
    );

    it.each([
      ['__proto__[role]=admin', '__proto__[role]'],
      ['constructor=1', 'constructor'],
      ['limit=5&prototype=1', 'prototype'],
    ])('refuses the query %s with 400 naming the key', async (query, field) => {
      const user = await signUp(t);
      const res = await t.http.get(`/api/v1/tokens/ledger?${query}`).set(user.auth);
      expectError(res, 400, 'VALIDATION_FAILED', PAYLOAD_MESSAGE, [
        { field, message: 'query keys must not be __proto__, constructor or prototype' },
      ]);
    });
  });

  describe('development secret and session ids', () => {
    it('refuses a token signed with the old development secret from the source', async () => {
      const user = await signUp(t);
      const claims = JSON.parse(
        Buffer.from(user.accessToken.split('.')[1], 'base64url').toString(),
      ) as { sub: string; sid: string };
      const forged = new JwtService().sign(
        { sub: claims.sub, role: 'admin', sid: claims.sid },
        { secret: OLD_DEVELOPMENT_SECRET, algorithm: 'HS256', expiresIn: 600 },
      );
      expectError(
        await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`),
        401,
        'UNAUTHORIZED',
        NO_TOKEN,
      );
    });

    it('signs with a random secret kept beside the data file, readable by its owner only, and says where in the log', async () => {
      const file = join(dirname(t.config.get('EMBEDDED_MONGO_DATA')), 'jwt-secret');
      const secret = (await readFile(file, 'utf8')).trim();
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const user = await signUp(t);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(new JwtService().verify<{ sub: string }>(user.accessToken, { secret }).sub).toBe(
        user.id,
      );
      expect(t.logs.text()).toContain(`development secret generated into ${file}`);
      expect(t.logs.text()).not.toContain(secret);
    });

    it('puts an unguessable session id (128 random bits) in every token', async () => {
      const sids = await Promise.all(
        [1, 2, 3].map(async () => {
          const user = await signUp(t);
          const claims: unknown = JSON.parse(
            Buffer.from(user.accessToken.split('.')[1], 'base64url').toString(),
          );
          return (claims as { sid: string }).sid;
        }),
      );
      for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(new Set(sids).size).toBe(3);
    });
  });

  describe('methods', () => {
    it.each([
      ['DELETE', '/health/live', 'GET, HEAD'],
      ['PUT', '/api/v1/auth/login', 'POST'],
      ['POST', '/api/v1/users/6650a1b2c3d4e5f601234567', 'GET, HEAD'],
      ['DELETE', '/api/v1/tokens', 'GET, HEAD'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const res = await t.http[method.toLowerCase() as 'get'](path);
      expectError(
        res,
        405,
        'METHOD_NOT_ALLOWED',
        `${method} is not supported on ${path}; allowed: ${allow}`,
      );
      expect(res.headers.allow).toBe(allow);
    });

    it('still answers 404 for a path no route has, and for a missing resource on a real route', async () => {
      expect((await t.http.delete('/api/v1/no-such-thing')).status).toBe(404);
      const user = await signUp(t);
      const res = await t.http.get('/api/v1/users/6650a1b2c3d4e5f601234567').set(user.auth);
      expect(res.status).toBe(404);
      expect(res.headers.allow).toBeUndefined();
    });
  });
});

describe('hardening: production mode', () => {
  const METRICS_TOKEN = 'metrics-token-of-at-least-thirty-two-characters';
  let mongo: EmbeddedMongo | undefined;
  let t: TestApp;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        MONGO_URL: `${mongo.uri}dobkonektor`,
        JWT_SECRET: 'a-production-jwt-secret-of-at-least-32-characters',
        METRICS_TOKEN,
        BCRYPT_COST: '10',
      },
    });
  });

  afterAll(async () => {
    await closeAll(t);
    await mongo?.stop();
  });

  it('refuses GET /metrics without the token, or with a wrong one, with 401 and WWW-Authenticate', async () => {
    for (const auth of [
      undefined,
      'Bearer wrong',
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${METRICS_TOKEN}x`,
    ]) {
      const req = t.http.get('/metrics');
      const res = auth === undefined ? await req : await req.set('Authorization', auth);
      expectError(
        res,
        401,
        'UNAUTHORIZED',
        'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
      );
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.text).not.toContain('http_request_duration_seconds');
    }
  });

  it('answers GET /metrics with Authorization: Bearer <METRICS_TOKEN>', async () => {
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_request_duration_seconds');
  });
});
