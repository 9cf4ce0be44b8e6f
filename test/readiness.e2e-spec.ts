import { createTestApp, type TestApp } from './support';
import { freePort } from './support/child-process';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('readiness with REDIS_URL set', () => {
  it('checks Redis too and answers 200 when it answers', async () => {
    const t: TestApp = await createTestApp({ env: { REDIS_URL } });
    try {
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
        error: {},
        details: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    } finally {
      await t.close();
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE naming Redis when it does not answer, while live stays 200', async () => {
    const deadPort = await freePort();
    const t: TestApp = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${deadPort}` } });
    try {
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
        message: 'Not ready: redis unavailable',
        details: [{ field: 'redis', message: expect.stringMatching(/^down: /) as unknown }],
        requestId: res.headers['x-request-id'],
      });
      expect((await t.http.get('/health/live')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
