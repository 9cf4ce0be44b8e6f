import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Response } from 'supertest';
import { UsersService } from '@app/users';
import {
  createTestApp,
  expectError,
  refreshCookieFrom,
  signUp,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

const ME = '/api/v1/auth/me';
const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const DAY_MS = 86_400_000;
const SECRET = 'e2e-access-token-secret-of-more-than-32-characters';
const NO_TOKEN = 'A valid access token is required';
const SESSION_ENDED = 'Session ended; sign in again';
const WRONG_CREDENTIALS = 'Wrong email or password';
const BAD_REFRESH_COOKIE = 'The refresh_token cookie is missing or invalid';
const UNKNOWN_REFRESH = 'Unknown, expired or revoked refresh token';
const REUSED_REFRESH = 'This refresh token was already used; the session is revoked';

/** A client's credentials for one session: its access token and refresh cookie. */
interface Creds {
  accessToken: string;
  refreshCookie: string;
}

interface Claims {
  sub: string;
  role: string;
  sid: string;
  iat: number;
  exp: number;
}

function decodePart(token: string, index: 0 | 1): unknown {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

function claimsOf(token: string): Claims {
  return decodePart(token, 1) as Claims;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function setCookies(res: Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}

/** One refresh_token cookie: 256 random bits, HttpOnly, SameSite=Strict, Path=/api/v1/auth, not Secure. */
function expectRefreshCookie(res: Response): void {
  const cookies = setCookies(res).filter((line) => line.startsWith('refresh_token='));
  expect(cookies).toHaveLength(1);
  const [pair, ...attributes] = cookies[0].split(/;\s*/);
  expect(pair).toMatch(/^refresh_token=[A-Za-z0-9_-]{43}$/);
  expect(attributes).toEqual(
    expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth']),
  );
  expect(attributes.map((a) => a.toLowerCase())).not.toContain('secure');
}

describe('sessions and access tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { JWT_SECRET: SECRET, LOGIN_MAX_FAILURES: '10000' } });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  function me(accessToken: string): Promise<Response> {
    return t.http.get(ME).set('Authorization', `Bearer ${accessToken}`);
  }

  function refresh(refreshCookie?: string): Promise<Response> {
    const req = t.http.post(REFRESH);
    return refreshCookie === undefined ? req : req.set('Cookie', refreshCookie);
  }

  function login(email: string, password: string): Promise<Response> {
    return t.http.post(LOGIN).send({ email, password });
  }

  async function loginCreds(user: TestSession, password = user.password): Promise<Creds> {
    const res = await login(user.email, password);
    expect(res.status).toBe(200);
    return {
      accessToken: (res.body as { accessToken: string }).accessToken,
      refreshCookie: refreshCookieFrom(res.headers['set-cookie']),
    };
  }

  async function refreshed(creds: Creds): Promise<Creds> {
    const res = await refresh(creds.refreshCookie);
    expect(res.status).toBe(200);
    return {
      accessToken: (res.body as { accessToken: string }).accessToken,
      refreshCookie: refreshCookieFrom(res.headers['set-cookie']),
    };
  }

  /** Both tokens of the session are refused: the access token at once, the refresh token too. */
  async function expectEnded(creds: Creds): Promise<void> {
    expectError(await me(creds.accessToken), 401, 'UNAUTHORIZED', SESSION_ENDED);
    expectError(await refresh(creds.refreshCookie), 401, 'UNAUTHORIZED', UNKNOWN_REFRESH);
  }

  async function expectWorking(creds: Creds): Promise<Creds> {
    expect((await me(creds.accessToken)).status).toBe(200);
    return refreshed(creds);
  }

  function sign(
    payload: object,
    options: { secret?: string; expiresIn?: number; noTimestamp?: boolean } = {},
  ): string {
    return new JwtService().sign(payload, {
      secret: options.secret ?? SECRET,
      algorithm: 'HS256',
      noTimestamp: options.noTimestamp ?? false,
      ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
    });
  }

  describe('login', () => {
    it('answers 200 {user, accessToken, expiresIn} with the private view and sets a refresh_token cookie', async () => {
      const user = await signUp(t);
      const res = await login(user.email, user.password);
      expect(res.status).toBe(200);
      const mine = await me(user.accessToken);
      expect(res.body).toEqual({
        user: mine.body as unknown,
        accessToken: expect.stringMatching(JWT) as unknown,
        expiresIn: t.config.get('ACCESS_TOKEN_TTL_SECONDS'),
      });
      expectRefreshCookie(res);
      const token = (res.body as { accessToken: string }).accessToken;
      expect(claimsOf(token).sid).not.toBe(claimsOf(user.accessToken).sid);
    });

    it('answers a wrong email and a wrong password with the same 401 body, and sets no cookie', async () => {
      const user = await signUp(t);
      const wrongEmail = await login(`nobody-${user.email}`, user.password);
      const wrongPassword = await login(user.email, `${user.password}!`);
      expectError(wrongEmail, 401, 'UNAUTHORIZED', WRONG_CREDENTIALS);
      expectError(wrongPassword, 401, 'UNAUTHORIZED', WRONG_CREDENTIALS);
      const withoutRequestId = (res: Response) => ({ ...(res.body as object), requestId: null });
      expect(withoutRequestId(wrongEmail)).toEqual(withoutRequestId(wrongPassword));
      expect(wrongEmail.headers['x-request-id']).not.toBe(wrongPassword.headers['x-request-id']);
      expect(setCookies(wrongEmail)).toEqual([]);
      expect(setCookies(wrongPassword)).toEqual([]);
    });

    it('refuses a login body with a missing password or an unknown field with 400', async () => {
      const user = await signUp(t);
      const missing = await t.http.post(LOGIN).send({ email: user.email });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({
        error: 'VALIDATION_FAILED',
        details: [{ field: 'password' }],
      });
      const unknown = await t.http
        .post(LOGIN)
        .send({ email: user.email, password: user.password, remember: true });
      expectError(unknown, 400, 'VALIDATION_FAILED', 'Validation failed', [
        { field: 'remember', message: 'is not an allowed field' },
      ]);
    });

    it('refuses a banned user with 403 ACCOUNT_BANNED on login, on their access token and on refresh', async () => {
      const user = await signUp(t);
      const other = await loginCreds(user);
      await t.app.get(UsersService).updateByAdmin(user.id, { banned: true });
      const res = await login(user.email, user.password);
      expectError(res, 403, 'ACCOUNT_BANNED', 'This account is banned');
      expect(setCookies(res)).toEqual([]);
      expectError(await me(user.accessToken), 403, 'ACCOUNT_BANNED', 'This account is banned');
      expectError(
        await refresh(user.refreshCookie),
        403,
        'ACCOUNT_BANNED',
        'This account is banned',
      );
      expectError(
        await refresh(other.refreshCookie),
        403,
        'ACCOUNT_BANNED',
        'This account is banned',
      );
    });

    it('ends every session of a banned user: after the ban is lifted, only a new login works', async () => {
      const user = await signUp(t);
      const other = await loginCreds(user);
      const users = t.app.get(UsersService);
      await users.updateByAdmin(user.id, { banned: true });
      await users.updateByAdmin(user.id, { banned: false });
      for (const accessToken of [user.accessToken, other.accessToken]) {
        expectError(await me(accessToken), 401, 'UNAUTHORIZED', 'Session ended; sign in again');
      }
      for (const cookie of [user.refreshCookie, other.refreshCookie]) {
        expectError(
          await refresh(cookie),
          401,
          'UNAUTHORIZED',
          'Unknown, expired or revoked refresh token',
        );
      }
      expect((await login(user.email, user.password)).status).toBe(200);
    });
  });

  describe('access tokens', () => {
    it('are HS256 JWTs of at most 15 minutes carrying sub, role and sid', async () => {
      const user = await signUp(t);
      const before = Math.floor(Date.now() / 1000);
      const creds = await loginCreds(user);
      expect(decodePart(creds.accessToken, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
      const claims = claimsOf(creds.accessToken);
      expect(claims).toEqual({
        sub: user.id,
        role: 'user',
        sid: expect.stringMatching(SESSION_ID) as unknown,
        iat: expect.any(Number) as unknown,
        exp: expect.any(Number) as unknown,
      });
      expect(claims.iat).toBeGreaterThanOrEqual(before);
      expect(claims.exp - claims.iat).toBe(t.config.get('ACCESS_TOKEN_TTL_SECONDS'));
      expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
      expect((await me(creds.accessToken)).status).toBe(200);
    });

    it.each([
      [
        'expired',
        'Access token expired',
        (c: Claims) => sign({ sub: c.sub, role: c.role, sid: c.sid, exp: c.iat - 60 }),
      ],
      [
        'signed with another secret',
        NO_TOKEN,
        (c: Claims) =>
          sign(
            { sub: c.sub, role: c.role, sid: c.sid },
            { secret: 'x'.repeat(48), expiresIn: 600 },
          ),
      ],
      [
        'unsigned (alg: none)',
        NO_TOKEN,
        (c: Claims) => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(c)}.`,
      ],
      [
        'tampered with (role changed, signature kept)',
        NO_TOKEN,
        (c: Claims, token: string) => {
          const [header, , signature] = token.split('.');
          return `${header}.${base64url({ ...c, role: 'admin' })}.${signature}`;
        },
      ],
      ['garbage', NO_TOKEN, () => 'not-a-jwt'],
      ['empty', NO_TOKEN, () => ''],
    ])(
      'refuses an access token that is %s with 401 UNAUTHORIZED',
      async (_, message, forge: (claims: Claims, token: string) => string) => {
        const user = await signUp(t);
        const forged = forge(claimsOf(user.accessToken), user.accessToken);
        expectError(await me(forged), 401, 'UNAUTHORIZED', message);
        expect((await me(user.accessToken)).status).toBe(200);
      },
    );

    it.each([
      ['without exp', (c: Claims) => sign({ sub: c.sub, role: c.role, sid: c.sid })],
      [
        'without iat',
        (c: Claims) =>
          sign({ sub: c.sub, role: c.role, sid: c.sid, exp: c.exp }, { noTimestamp: true }),
      ],
      [
        'with exp ten years ahead',
        (c: Claims) =>
          sign({ sub: c.sub, role: c.role, sid: c.sid }, { expiresIn: 10 * 365 * 86_400 }),
      ],
      [
        'living one second longer than ACCESS_TOKEN_TTL_SECONDS',
        (c: Claims) =>
          sign(
            { sub: c.sub, role: c.role, sid: c.sid },
            { expiresIn: t.config.get('ACCESS_TOKEN_TTL_SECONDS') + 1 },
          ),
      ],
      [
        'issued an hour in the future',
        (c: Claims) =>
          sign({ sub: c.sub, role: c.role, sid: c.sid, iat: c.iat + 3600, exp: c.iat + 3900 }),
      ],
      [
        'with a fractional exp',
        (c: Claims) => sign({ sub: c.sub, role: c.role, sid: c.sid, iat: c.iat, exp: c.iat + 0.5 }),
      ],
    ])(
      'refuses a correctly signed token of a live session %s with 401 UNAUTHORIZED',
      async (_, forge: (claims: Claims) => string) => {
        const user = await signUp(t);
        expectError(await me(forge(claimsOf(user.accessToken))), 401, 'UNAUTHORIZED', NO_TOKEN);
        expect((await me(user.accessToken)).status).toBe(200);
      },
    );

    it('accepts a token for exactly ACCESS_TOKEN_TTL_SECONDS by the injected clock, then calls it expired', async () => {
      const user = await signUp(t);
      try {
        t.clock.advance((t.config.get('ACCESS_TOKEN_TTL_SECONDS') - 5) * 1000);
        expect((await me(user.accessToken)).status).toBe(200);
        t.clock.advance(6000);
        expectError(await me(user.accessToken), 401, 'UNAUTHORIZED', 'Access token expired');
      } finally {
        t.clock.reset();
      }
    });

    it('refuses a request without an access token, or with another scheme, with 401 UNAUTHORIZED', async () => {
      const user = await signUp(t);
      expectError(await t.http.get(ME), 401, 'UNAUTHORIZED', NO_TOKEN);
      const basic = await t.http.get(ME).set('Authorization', `Basic ${user.accessToken}`);
      expectError(basic, 401, 'UNAUTHORIZED', NO_TOKEN);
    });

    it('refuses a correctly signed token whose session does not exist', async () => {
      const user = await signUp(t);
      const sid = randomBytes(16).toString('base64url');
      const forged = sign({ sub: user.id, role: 'user', sid }, { expiresIn: 600 });
      expectError(await me(forged), 401, 'UNAUTHORIZED', SESSION_ENDED);
    });

    it("refuses a deleted user's access and refresh tokens, and their login", async () => {
      const user = await signUp(t);
      expect((await me(user.accessToken)).status).toBe(200);
      await t.app.get(UsersService).deleteById(user.id);
      expectError(await me(user.accessToken), 401, 'UNAUTHORIZED', SESSION_ENDED);
      const res = await refresh(user.refreshCookie);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED', details: [] });
      expectError(await login(user.email, user.password), 401, 'UNAUTHORIZED', WRONG_CREDENTIALS);
    });
  });

  describe('refresh', () => {
    it('rotates the refresh cookie and returns a new access token of the same session', async () => {
      const user = await signUp(t);
      const res = await refresh(user.refreshCookie);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(JWT) as unknown,
        expiresIn: t.config.get('ACCESS_TOKEN_TTL_SECONDS'),
      });
      expectRefreshCookie(res);
      const next = refreshCookieFrom(res.headers['set-cookie']);
      expect(next).not.toBe(user.refreshCookie);
      const token = (res.body as { accessToken: string }).accessToken;
      expect(claimsOf(token)).toMatchObject({
        sub: user.id,
        role: 'user',
        sid: claimsOf(user.accessToken).sid,
      });
      expect((await me(token)).status).toBe(200);
      expect((await refresh(next)).status).toBe(200);
    });

    it('answers 401 to a rotated refresh token and then revokes its whole session, leaving other sessions alone', async () => {
      const user = await signUp(t);
      const other = await loginCreds(user);
      const first = { accessToken: user.accessToken, refreshCookie: user.refreshCookie };
      const second = await refreshed(first);
      const third = await refreshed(second);
      expectError(await refresh(first.refreshCookie), 401, 'UNAUTHORIZED', REUSED_REFRESH);
      expectError(await refresh(third.refreshCookie), 401, 'UNAUTHORIZED', UNKNOWN_REFRESH);
      for (const accessToken of [first.accessToken, second.accessToken, third.accessToken]) {
        expectError(await me(accessToken), 401, 'UNAUTHORIZED', SESSION_ENDED);
      }
      await expectWorking(other);
    });

    it('answers 401 to a missing, malformed or unknown refresh cookie', async () => {
      // t.http keeps no cookie: the signup's refresh_token cookie is not sent with the next call.
      await signUp(t);
      expectError(await refresh(), 401, 'UNAUTHORIZED', BAD_REFRESH_COOKIE);
      expectError(await refresh('refresh_token=garbage'), 401, 'UNAUTHORIZED', BAD_REFRESH_COOKIE);
      expectError(await refresh('other=value'), 401, 'UNAUTHORIZED', BAD_REFRESH_COOKIE);
      const unknown = `refresh_token=${'A'.repeat(43)}`;
      expectError(await refresh(unknown), 401, 'UNAUTHORIZED', UNKNOWN_REFRESH);
    });

    it("works like a browser through the session's agent: it sends the cookie it holds and keeps the rotated one", async () => {
      const user = await signUp(t);
      const first = await user.agent.post(REFRESH);
      expect(first.status).toBe(200);
      const second = await user.agent.post(REFRESH);
      expect(second.status).toBe(200);
      const [firstCookie, secondCookie] = [first, second].map((res) =>
        refreshCookieFrom(res.headers['set-cookie']),
      );
      expect(new Set([user.refreshCookie, firstCookie, secondCookie]).size).toBe(3);
      expect((await user.agent.get(ME)).status).toBe(200);
      expect((await refresh(secondCookie)).status).toBe(200);
      // The agent still holds the cookie the refresh above rotated: a reuse, which ends the session.
      expectError(await user.agent.post(REFRESH), 401, 'UNAUTHORIZED', REUSED_REFRESH);
    });

    it('ends a session REFRESH_TOKEN_TTL_DAYS after its last refresh', async () => {
      const user = await signUp(t);
      const ttlMs = t.config.get('REFRESH_TOKEN_TTL_DAYS') * DAY_MS;
      try {
        t.clock.advance(ttlMs - DAY_MS);
        const kept = await refreshed(user);
        t.clock.advance(ttlMs - DAY_MS);
        const last = await refreshed(kept);
        expect((await me(last.accessToken)).status).toBe(200);
        t.clock.advance(ttlMs + DAY_MS);
        expectError(await refresh(last.refreshCookie), 401, 'UNAUTHORIZED', UNKNOWN_REFRESH);
      } finally {
        t.clock.reset();
      }
    });
  });

  describe('logout', () => {
    it('answers 204 and ends that session at once (access and refresh tokens), leaving the other sessions working', async () => {
      const user = await signUp(t);
      const other = await loginCreds(user);
      expect((await me(user.accessToken)).status).toBe(200);
      const res = await t.http.post('/api/v1/auth/logout').set(user.auth);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(setCookies(res)).toEqual([
        expect.stringMatching(/^refresh_token=; Path=\/api\/v1\/auth; Expires=Thu, 01 Jan 1970/),
      ]);
      await expectEnded(user);
      await expectWorking(other);
      const again = await t.http.post('/api/v1/auth/logout').set(user.auth);
      expectError(again, 401, 'UNAUTHORIZED', SESSION_ENDED);
    });

    it("clears the refresh cookie in the session's agent: its next refresh sends none", async () => {
      const user = await signUp(t);
      expect((await user.agent.post('/api/v1/auth/logout')).status).toBe(204);
      expectError(await user.agent.post(REFRESH), 401, 'UNAUTHORIZED', BAD_REFRESH_COOKIE);
      expectError(await refresh(user.refreshCookie), 401, 'UNAUTHORIZED', UNKNOWN_REFRESH);
    });

    it("logout-all answers 204 and ends every session of the user, and no one else's", async () => {
      const [user, bystander] = await Promise.all([signUp(t), signUp(t)]);
      const sessions = [user, await loginCreds(user), await loginCreds(user)];
      await Promise.all(sessions.map((s) => me(s.accessToken)));
      const res = await t.http
        .post('/api/v1/auth/logout-all')
        .set('Authorization', `Bearer ${sessions[1].accessToken}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      for (const session of sessions) await expectEnded(session);
      await expectWorking(bystander);
      await expectWorking(await loginCreds(user));
    });

    it('refuses logout and logout-all without an access token', async () => {
      for (const path of ['/api/v1/auth/logout', '/api/v1/auth/logout-all']) {
        expectError(await t.http.post(path), 401, 'UNAUTHORIZED', NO_TOKEN);
      }
    });
  });

  describe('password change', () => {
    const NEW_PASSWORD = 'a brand new passphrase';

    it('answers 204: the old password stops working, the new one works, other sessions end, this one stays', async () => {
      const user = await signUp(t);
      const other = await loginCreds(user);
      const res = await t.http
        .post('/api/v1/auth/password')
        .set(user.auth)
        .send({ currentPassword: user.password, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      await expectEnded(other);
      await expectWorking(user);
      expectError(await login(user.email, user.password), 401, 'UNAUTHORIZED', WRONG_CREDENTIALS);
      await expectWorking(await loginCreds(user, NEW_PASSWORD));
    });

    it('refuses a wrong currentPassword with 400 naming currentPassword, and changes nothing', async () => {
      const user = await signUp(t);
      const other = await loginCreds(user);
      const res = await t.http
        .post('/api/v1/auth/password')
        .set(user.auth)
        .send({ currentPassword: 'not my password', newPassword: NEW_PASSWORD });
      expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', [
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
      await expectWorking(other);
      expect((await login(user.email, user.password)).status).toBe(200);
      expect((await login(user.email, NEW_PASSWORD)).status).toBe(401);
    });

    it.each([
      ['7 bytes', 'abcdefg'],
      ['73 bytes', `${'€'.repeat(24)}a`],
    ])('refuses a newPassword of %s with 400 naming newPassword', async (_, newPassword) => {
      const user = await signUp(t);
      const res = await t.http
        .post('/api/v1/auth/password')
        .set(user.auth)
        .send({ currentPassword: user.password, newPassword });
      expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', [
        { field: 'newPassword', message: 'must be 8 to 72 bytes long' },
      ]);
      expect((await login(user.email, user.password)).status).toBe(200);
    });

    it('needs an access token', async () => {
      const res = await t.http
        .post('/api/v1/auth/password')
        .send({ currentPassword: 'whatever it is', newPassword: NEW_PASSWORD });
      expectError(res, 401, 'UNAUTHORIZED', NO_TOKEN);
    });
  });
});
