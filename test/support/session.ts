import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { InvitesService } from '@app/invites';
import { UsersService } from '@app/users';
import type { TestApp } from './app';

export interface SignupInput {
  email: string;
  password: string;
  displayName: string;
  birthDate: string;
  inviteCode: string;
}

/** A supertest agent: a client with a cookie jar and default headers of its own. */
export type SessionAgent = ReturnType<typeof request.agent>;

/** A signed-up user and the credentials a client would hold. */
export interface TestSession {
  id: string;
  email: string;
  password: string;
  displayName: string;
  birthDate: string;
  accessToken: string;
  /** `{ Authorization: 'Bearer …' }`, for supertest's `.set(...)`. */
  auth: { Authorization: string };
  /** The `refresh_token=…` pair, for an explicit `Cookie` header. */
  refreshCookie: string;
  /**
   * This session's own client, like a browser that signed in: its jar holds this session's
   * refresh_token cookie (sent to /api/v1/auth/*, replaced by refresh, dropped by logout) and it
   * sends `auth` with every request (a `.set('Authorization', …)` on one request overrides it).
   * No other session or `t.http` shares it.
   */
  agent: SessionAgent;
}

const DAY_MS = 86_400_000;
const REFRESH = '/api/v1/auth/refresh';

/** A fresh invite code with many uses, made through the service (a data factory, not a test). */
export async function inviteCode(t: TestApp, maxUses = 1000): Promise<string> {
  const invite = await t.app.get(InvitesService).createMultiUse(null, {
    maxUses,
    expiresAt: new Date(t.clock.now().getTime() + 30 * DAY_MS),
  });
  return invite.code;
}

/** The `refresh_token=…` pair of a response's Set-Cookie lines; throws when there is none. */
export function refreshCookieFrom(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = cookies.find((c) => c.startsWith('refresh_token='));
  if (!cookie) throw new Error('the response set no refresh_token cookie');
  return cookie.split(';')[0];
}

function authOf(accessToken: string): { Authorization: string } {
  return { Authorization: `Bearer ${accessToken}` };
}

/**
 * Signs a new user up through POST /api/v1/auth/signup, on an agent of the session's own (which
 * keeps the refresh cookie the signup sets), and returns the session.
 */
export async function signUp(
  t: TestApp,
  overrides: Partial<SignupInput> = {},
): Promise<TestSession> {
  const input: SignupInput = {
    email: `user-${randomUUID()}@example.com`,
    password: 'correct horse battery',
    displayName: 'Test User',
    birthDate: '1990-05-17',
    inviteCode: overrides.inviteCode ?? (await inviteCode(t, 1)),
    ...overrides,
  };
  const agent = request.agent(t.baseUrl);
  const res = await agent.post('/api/v1/auth/signup').send(input);
  if (res.status !== 201) {
    throw new Error(`signup answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const body = res.body as { user: { id: string }; accessToken: string };
  const auth = authOf(body.accessToken);
  agent.set(auth);
  return {
    id: body.user.id,
    email: input.email.trim().toLowerCase(),
    password: input.password,
    displayName: input.displayName,
    birthDate: input.birthDate,
    accessToken: body.accessToken,
    auth,
    refreshCookie: refreshCookieFrom(res.headers['set-cookie']),
    agent,
  };
}

/**
 * The same session with a new access token, through POST /api/v1/auth/refresh on the session's
 * agent: for tests that move the clock past the access token's lifetime (the session itself must
 * still be open). The agent is the same object, now holding the rotated cookie and sending the new
 * access token; the session given keeps its old (now rotated, refused) `refreshCookie` value.
 */
export async function refreshSession(session: TestSession): Promise<TestSession> {
  const res = await session.agent.post(REFRESH);
  if (res.status !== 200) {
    throw new Error(`refresh answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const { accessToken } = res.body as { accessToken: string };
  const auth = authOf(accessToken);
  session.agent.set(auth);
  return {
    ...session,
    accessToken,
    auth,
    refreshCookie: refreshCookieFrom(res.headers['set-cookie']),
  };
}

/** A user promoted to admin (the role is read from the database on every request). */
export async function signUpAdmin(
  t: TestApp,
  overrides: Partial<SignupInput> = {},
): Promise<TestSession> {
  const session = await signUp(t, overrides);
  await t.app.get(UsersService).updateByAdmin(session.id, { role: 'admin' });
  return session;
}
