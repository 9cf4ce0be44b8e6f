import { randomUUID } from 'node:crypto';
import { createTestApp, inviteCode, signUp, type TestApp } from '@app/testing';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function signupBody(email: string, code = 'NOT-A-REAL-CODE'): Record<string, string> {
  return {
    email,
    password: 'correct horse battery',
    displayName: 'Rate Tester',
    birthDate: '1990-05-17',
    inviteCode: code,
  };
}

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

describe('rate limits', () => {
  describe('signup, per address and per email (in memory)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { SIGNUP_RATE_PER_HOUR: '2', TRUST_PROXY: 'true' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('answers 429 RATE_LIMITED with Retry-After past SIGNUP_RATE_PER_HOUR attempts from one address', async () => {
      const from = (n: number) =>
        t.http
          .post('/api/v1/auth/signup')
          .set('x-forwarded-for', '203.0.113.7')
          .send(signupBody(`a${n}-${randomUUID()}@example.com`));
      expect((await from(1)).status).toBe(400);
      expect((await from(2)).status).toBe(400);
      const third = await from(3);
      expectRateLimited(third);
      expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(3600);
      const elsewhere = await t.http
        .post('/api/v1/auth/signup')
        .set('x-forwarded-for', '203.0.113.8')
        .send(signupBody(`b-${randomUUID()}@example.com`));
      expect(elsewhere.status).toBe(400);
    });

    it('limits attempts for one email across addresses', async () => {
      const email = `same-${randomUUID()}@example.com`;
      const attempt = (address: string) =>
        t.http.post('/api/v1/auth/signup').set('x-forwarded-for', address).send(signupBody(email));
      expect((await attempt('198.51.100.1')).status).toBe(400);
      expect((await attempt('198.51.100.2')).status).toBe(400);
      expectRateLimited(await attempt('198.51.100.3'));
    });
  });

  it('RATE_LIMITS=off lets every attempt through', async () => {
    const t = await createTestApp({ env: { SIGNUP_RATE_PER_HOUR: '1', RATE_LIMITS: 'off' } });
    try {
      const statuses = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          t.http
            .post('/api/v1/auth/signup')
            .send(signupBody(`off${n}-${randomUUID()}@example.com`)),
        ),
      );
      expect(statuses.map((res) => res.status)).toEqual([400, 400, 400, 400]);
      const session = await signUp(t);
      const failures = await Promise.all(
        Array.from({ length: 8 }, () =>
          t.http
            .post('/api/v1/auth/login')
            .send({ email: session.email, password: 'wrong password!' }),
        ),
      );
      expect(failures.map((res) => res.status)).toEqual(Array.from({ length: 8 }, () => 401));
    } finally {
      await t.close();
    }
  });

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
      [first, second] = await Promise.all([createTestApp({ env }), createTestApp({ env })]);
    });

    afterAll(async () => {
      await Promise.all([first.close(), second.close()]);
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
