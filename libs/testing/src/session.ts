import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { InvitesService } from '@app/invites';
import { UsersService } from '@app/users';
import type { TestApp } from './create-test-app';

export interface SignupInput {
  email: string;
  password: string;
  displayName: string;
  birthDate: string;
  inviteCode: string;
}

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
  /** The `refresh_token=…` pair, for a `Cookie` header. */
  refreshCookie: string;
}

const DAY_MS = 86_400_000;

/** A fresh invite code with many uses, made through the service (a data factory, not a test). */
export async function inviteCode(t: TestApp, maxUses = 1000): Promise<string> {
  const invite = await t.app.get(InvitesService).createMultiUse(null, {
    maxUses,
    expiresAt: new Date(t.clock.now().getTime() + 30 * DAY_MS),
  });
  return invite.code;
}

export function refreshCookieFrom(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = cookies.find((c) => c.startsWith('refresh_token='));
  if (!cookie) throw new Error('the response set no refresh_token cookie');
  return cookie.split(';')[0];
}

/** Signs a new user up through POST /api/v1/auth/signup and returns its session. */
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
  const res = await t.http.post('/api/v1/auth/signup').send(input);
  if (res.status !== 201) {
    throw new Error(`signup answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const body = res.body as { user: { id: string }; accessToken: string };
  return {
    id: body.user.id,
    email: input.email.trim().toLowerCase(),
    password: input.password,
    displayName: input.displayName,
    birthDate: input.birthDate,
    accessToken: body.accessToken,
    auth: { Authorization: `Bearer ${body.accessToken}` },
    refreshCookie: refreshCookieFrom(res.headers['set-cookie']),
  };
}

/**
 * The same session with a new access token, through POST /api/v1/auth/refresh: for tests that move
 * the clock past the access token's lifetime (the session itself must still be open).
 */
export async function refreshSession(t: TestApp, session: TestSession): Promise<TestSession> {
  // A cookie-less client: t.http's jar holds whichever refresh cookie a response set last.
  const res = await request(t.baseUrl)
    .post('/api/v1/auth/refresh')
    .set('Cookie', session.refreshCookie);
  if (res.status !== 200) {
    throw new Error(`refresh answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const { accessToken } = res.body as { accessToken: string };
  return {
    ...session,
    accessToken,
    auth: { Authorization: `Bearer ${accessToken}` },
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
