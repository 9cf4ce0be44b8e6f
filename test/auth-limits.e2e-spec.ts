import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, expectError, inviteCode, signUp, type TestApp } from './support';
import { closeAll } from './support/teardown';

const LOGIN = '/api/v1/auth/login';
const SIGNUP = '/api/v1/auth/signup';
const PASSWORD = 'correct horse battery';

/** 429 RATE_LIMITED whose message and Retry-After agree, within the window. */
function expectRateLimited(res: Response, windowSeconds: number): void {
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expectError(res, 429, 'RATE_LIMITED', `Too many requests; retry in ${retryAfter} s`);
}

let addressCounter = 0;

/** A client address of its own (the app trusts one proxy hop, so X-Forwarded-For sets it). */
function address(): string {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

function email(): string {
  return `limits-${randomUUID()}@example.com`;
}

describe('login and signup rate limits', () => {
  describe('with LOGIN_MAX_FAILURES=3 and SIGNUP_RATE_PER_HOUR=3', () => {
    let t: TestApp;
    let code: string;

    beforeAll(async () => {
      t = await createTestApp({
        env: { LOGIN_MAX_FAILURES: '3', SIGNUP_RATE_PER_HOUR: '3', TRUST_PROXY: '1' },
      });
      code = await inviteCode(t, 1000);
    });

    afterAll(async () => {
      await closeAll(t);
    });

    function login(from: string, input: { email: string; password: string }): Promise<Response> {
      return t.http.post(LOGIN).set('X-Forwarded-For', from).send(input);
    }

    function signup(from: string, userEmail = email()): Promise<Response> {
      return t.http.post(SIGNUP).set('X-Forwarded-For', from).send({
        email: userEmail,
        password: PASSWORD,
        displayName: 'Limited User',
        birthDate: '1990-05-17',
        inviteCode: code,
      });
    }

    async function account(): Promise<{ email: string; password: string }> {
      const input = { email: email(), password: PASSWORD };
      expect((await signup(address(), input.email)).status).toBe(201);
      return input;
    }

    it('blocks an account after LOGIN_MAX_FAILURES failures with 429 RATE_LIMITED and Retry-After, from any address and even with the right password', async () => {
      const [victim, bystander] = await Promise.all([account(), account()]);
      const firstAddress = address();
      const wrong = { ...victim, password: 'wrong password' };
      expectError(await login(firstAddress, wrong), 401, 'UNAUTHORIZED', 'Wrong email or password');
      for (let i = 1; i < 3; i++) expect((await login(address(), wrong)).status).toBe(401);
      const window = t.config.get('LOGIN_FAILURE_WINDOW_SECONDS');
      expectRateLimited(await login(address(), wrong), window);
      expectRateLimited(await login(address(), victim), window);
      expectRateLimited(
        await login(address(), { ...victim, email: victim.email.toUpperCase() }),
        window,
      );
      expect((await login(firstAddress, bystander)).status).toBe(200);
    });

    it('lets the account in again once the window has passed on the injected clock, without waiting', async () => {
      const victim = await account();
      const from = address();
      const wrong = { ...victim, password: 'wrong password' };
      for (let i = 0; i < 3; i++) expect((await login(from, wrong)).status).toBe(401);
      const window = t.config.get('LOGIN_FAILURE_WINDOW_SECONDS');
      try {
        t.clock.advance((window - 1) * 1000);
        expectRateLimited(await login(address(), victim), 1);
        t.clock.advance(1000);
        expect((await login(from, victim)).status).toBe(200);
      } finally {
        t.clock.reset();
      }
    });

    it('blocks an address after LOGIN_MAX_FAILURES failures on any accounts, for every account', async () => {
      const user = await account();
      const from = address();
      for (let i = 0; i < 3; i++) {
        expect((await login(from, { email: email(), password: PASSWORD })).status).toBe(401);
      }
      expectRateLimited(await login(from, user), t.config.get('LOGIN_FAILURE_WINDOW_SECONDS'));
      const elsewhere = await login(address(), user);
      expect(elsewhere.status).toBe(200);
    });

    it('checks at most LOGIN_MAX_FAILURES passwords of 20 parallel guesses at one account: the rest answer 429', async () => {
      const victim = await account();
      const guesses = Array.from({ length: 20 }, (_, i) => ({ ...victim, password: `guess ${i}` }));
      const results = await Promise.all(guesses.map((guess) => login(address(), guess)));
      const statuses = results.map((res) => res.status);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
      expect(statuses.filter((status) => status === 429)).toHaveLength(20 - 3);
    });

    it('limits signups per address to SIGNUP_RATE_PER_HOUR an hour', async () => {
      const from = address();
      for (let i = 0; i < 3; i++) expect((await signup(from)).status).toBe(201);
      const blocked = email();
      expectRateLimited(await signup(from, blocked), 3600);
      expect((await signup(address(), blocked)).status).toBe(201);
    });

    it('limits signups per email to SIGNUP_RATE_PER_HOUR an hour, whatever the address', async () => {
      const repeated = email();
      expect((await signup(address(), repeated)).status).toBe(201);
      expect((await signup(address(), repeated)).status).toBe(409);
      expect((await signup(address(), ` ${repeated.toUpperCase()} `)).status).toBe(409);
      expectRateLimited(await signup(address(), repeated), 3600);
    });
  });

  describe('with RATE_LIMITS=off', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: { RATE_LIMITS: 'off', LOGIN_MAX_FAILURES: '3', SIGNUP_RATE_PER_HOUR: '3' },
      });
    });

    afterAll(async () => {
      await closeAll(t);
    });

    it('never answers 429 to failed logins', async () => {
      const user = await signUp(t);
      for (let i = 0; i < 10; i++) {
        const res = await t.http
          .post(LOGIN)
          .send({ email: user.email, password: 'wrong password' });
        expectError(res, 401, 'UNAUTHORIZED', 'Wrong email or password');
      }
      const res = await t.http.post(LOGIN).send({ email: user.email, password: user.password });
      expect(res.status).toBe(200);
    });

    it('never answers 429 to signups', async () => {
      const users = [];
      for (let i = 0; i < 6; i++) users.push(await signUp(t));
      expect(new Set(users.map((user) => user.id)).size).toBe(6);
    });
  });
});
