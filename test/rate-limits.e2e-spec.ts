import { randomUUID } from 'node:crypto';
import { createTestApp, inviteCode, signUp, type TestApp } from './support';
import { closeAll } from './support/teardown';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function expectRateLimited(res: {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ statusCode: 429, error: 'RATE_LIMITED', details: [] });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
}

describe('rate limits on Redis, shared by instances', () => {
  describe('with REDIS_URL, counted across instances', () => {
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      const env = {
        REDIS_URL,
        REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
        LOGIN_MAX_FAILURES: '3',
        TRUST_PROXY: 'true',
      };
      // One after the other: if the second fails, afterAll still closes the first.
      first = await createTestApp({ env });
      second = await createTestApp({ env });
    });

    afterAll(async () => {
      await closeAll(first, second);
    });

    it('failed logins on one instance block the account on the other, with Retry-After', async () => {
      const session = await signUp(first, { inviteCode: await inviteCode(first) });
      const fail = (t: TestApp, address: string) =>
        t.http
          .post('/api/v1/auth/login')
          .set('x-forwarded-for', address)
          .send({ email: session.email, password: 'not the password' });
      expect((await fail(first, '192.0.2.1')).status).toBe(401);
      expect((await fail(first, '192.0.2.2')).status).toBe(401);
      expect((await fail(second, '192.0.2.3')).status).toBe(401);
      expectRateLimited(await fail(second, '192.0.2.4'));
      const rightPassword = await first.http
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', '192.0.2.5')
        .send({ email: session.email, password: session.password });
      expectRateLimited(rightPassword);
      const retryAfter = Number(rightPassword.headers['retry-after']);
      expect(retryAfter).toBeLessThanOrEqual(first.config.get('LOGIN_FAILURE_WINDOW_SECONDS'));
    });

    it('ends the window on the injected clock in Redis too: a blocked account gets in once it passes', async () => {
      const session = await signUp(first, { inviteCode: await inviteCode(first) });
      const attempt = (t: TestApp, password: string) =>
        t.http
          .post('/api/v1/auth/login')
          .set('x-forwarded-for', '192.0.2.50')
          .send({ email: session.email, password });
      for (let i = 0; i < 3; i++) expect((await attempt(first, 'not it')).status).toBe(401);
      expectRateLimited(await attempt(second, session.password));
      const windowMs = first.config.get('LOGIN_FAILURE_WINDOW_SECONDS') * 1000;
      try {
        for (const t of [first, second]) t.clock.advance(windowMs);
        // Each instance has a database of its own here; the account lives on the first.
        expect((await attempt(first, session.password)).status).toBe(200);
      } finally {
        for (const t of [first, second]) t.clock.reset();
      }
    });

    it('failed logins from one address block that address for every account, on both instances', async () => {
      const address = '192.0.2.99';
      const fail = (t: TestApp) =>
        t.http
          .post('/api/v1/auth/login')
          .set('x-forwarded-for', address)
          .send({ email: `nobody-${randomUUID()}@example.com`, password: 'whatever it is' });
      expect((await fail(first)).status).toBe(401);
      expect((await fail(second)).status).toBe(401);
      expect((await fail(first)).status).toBe(401);
      expectRateLimited(await fail(second));
      expectRateLimited(await fail(first));
    });
  });
});

describe('coupon redemption rate limit', () => {
  it('answers 429 past COUPON_REDEEM_RATE_PER_MINUTE redeem calls of one user, and counts users apart', async () => {
    const t = await createTestApp({ env: { COUPON_REDEEM_RATE_PER_MINUTE: '3' } });
    try {
      const [guesser, other] = await Promise.all([signUp(t), signUp(t)]);
      const guess = (session: typeof guesser, n: number) =>
        t.http
          .post('/api/v1/tokens/redeem')
          .set(session.auth)
          .send({ code: `GUESS${n}CODE` });
      const statuses = [];
      for (const n of [1, 2, 3]) statuses.push((await guess(guesser, n)).status);
      expect(statuses).toEqual([400, 400, 400]);
      expectRateLimited(await guess(guesser, 4));
      expect((await guess(other, 5)).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
