import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { type Connection, Types } from 'mongoose';
import type { Response } from 'supertest';
import { PasswordResetsService, RESET_TOKEN_INVALID_MESSAGE } from '@app/auth';
import { PasswordResetsRepository } from '@app/auth/password-reset/password-resets.repository';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { UsersService } from '@app/users';
import {
  createTestApp,
  expectError,
  refreshCookieFrom,
  signUp,
  type TestApp,
  type TestSession,
} from './support';
import { connectSocket, disconnection, socketsClosable, type TestSocket } from './support/sockets';
import { closeAll } from './support/teardown';

const FORGOT = '/api/v1/auth/password/forgot';
const RESET = '/api/v1/auth/password/reset';
const LOGIN = '/api/v1/auth/login';
const RESET_URL = 'https://app.example/reset-password?token=';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MINUTE_MS = 60_000;
const NEW_PASSWORD = 'a brand new password';
const NOT_AN_EMAIL = 'must be a valid email address';
const NO_EMAIL =
  'email must be a string; email must be shorter than or equal to 254 characters; must be a valid email address';
const NO_TOKEN =
  'token must be shorter than or equal to 256 characters; token must be longer than or equal to 1 characters; token must be a string';
const NOT_ALLOWED = 'is not an allowed field';

/** A mail as written to MAIL_DIR: its headers and decoded text and HTML parts. */
interface WrittenMail {
  file: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decodePart(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString();
  if (encoding !== 'quoted-printable') return body;
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function headersOf(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Parses the multipart/alternative message nodemailer writes: headers, text and HTML parts. */
function parseEml(file: string, raw: string): WrittenMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = headersOf(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  if (boundary === undefined) throw new Error(`${file}: not a multipart message`);
  const parts = raw
    .slice(split + 4)
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const end = part.indexOf('\r\n\r\n');
      const partHeaders = headersOf(part.slice(0, end).trim());
      const body = part.slice(end + 4).replace(/\r\n$/, '');
      return {
        type: partHeaders['content-type'] ?? '',
        body: decodePart(body, partHeaders['content-transfer-encoding']),
      };
    });
  const part = (type: string): string =>
    parts.find((candidate) => candidate.type.startsWith(type))?.body ?? '';
  return { file, headers, text: part('text/plain'), html: part('text/html') };
}

/** The link of a reset mail (in its text), and the token at its end. */
function linkOf(mail: WrittenMail): { link: string; token: string } {
  const link = mail.text.split(/\r?\n/).find((line) => line.startsWith(RESET_URL));
  if (link === undefined) throw new Error(`${mail.file}: no reset link in the text`);
  return { link, token: link.slice(RESET_URL.length) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let addressCounter = 0;

/** A client address of its own (the app trusts one proxy hop, so X-Forwarded-For sets it). */
function address(): string {
  addressCounter += 1;
  return `203.0.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

function unknownEmail(): string {
  return `nobody-${randomUUID()}@example.com`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** 429 RATE_LIMITED whose message and Retry-After agree, within the hour. */
function expectRateLimited(res: Response): void {
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  expectError(res, 429, 'RATE_LIMITED', `Too many requests; retry in ${retryAfter} s`);
}

/** The headers of an answer that may tell one request from another (not its id or its date). */
function comparableHeaders(res: Response): Record<string, unknown> {
  const headers = { ...(res.headers as Record<string, unknown>) };
  delete headers.date;
  delete headers['x-request-id'];
  return headers;
}

describe('password reset', () => {
  let t: TestApp;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TRUST_PROXY: '1',
        PASSWORD_RESET_URL: RESET_URL,
        LOGIN_MAX_FAILURES: '10000',
        LOG_LEVEL: 'info',
      },
    });
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  function forgot(body: object, from = address()): Promise<Response> {
    return t.http.post(FORGOT).set('X-Forwarded-For', from).send(body);
  }

  function reset(token: string, newPassword = NEW_PASSWORD): Promise<Response> {
    return t.http.post(RESET).set('X-Forwarded-For', address()).send({ token, newPassword });
  }

  function login(email: string, password: string): Promise<Response> {
    return t.http.post(LOGIN).set('X-Forwarded-For', address()).send({ email, password });
  }

  /** Every mail written so far, once the reset requests in flight are done. */
  async function mails(): Promise<WrittenMail[]> {
    await t.app.get(PasswordResetsService).idle();
    const dir = t.config.get('MAIL_DIR');
    const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.eml'));
    return Promise.all(
      names.sort().map(async (name) => parseEml(name, await readFile(join(dir, name), 'utf8'))),
    );
  }

  async function mailsTo(email: string): Promise<WrittenMail[]> {
    return (await mails()).filter((mail) => mail.headers.to === email);
  }

  /** Asks for a reset of this user's password and returns the token of the one new mail. */
  async function resetToken(user: TestSession, from = address()): Promise<string> {
    const before = (await mailsTo(user.email)).length;
    expect((await forgot({ email: user.email }, from)).status).toBe(202);
    const sent = await mailsTo(user.email);
    expect(sent).toHaveLength(before + 1);
    return linkOf(sent[sent.length - 1]).token;
  }

  it('answers 202 with no body and mails the account a link to PASSWORD_RESET_URL with a 256-bit token, stored only as its SHA-256', async () => {
    const user = await signUp(t, { displayName: 'Zoë <b>&</b>' });
    const res = await forgot({ email: `  ${user.email.toUpperCase()} ` });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    const [mail, ...others] = await mailsTo(user.email);
    expect(others).toEqual([]);
    expect(mail.headers.from).toBe('no-reply@localhost');
    expect(mail.headers.subject).toBe('Reset your DobKonektor password');
    const { link, token } = linkOf(mail);
    expect(token).toMatch(TOKEN);
    expect(mail.text).toContain('Hello Zoë <b>&</b>,');
    expect(mail.text).toContain('This link works once, within 30 minutes.');
    expect(mail.html).toContain('<p>Hello Zoë &lt;b&gt;&amp;&lt;/b&gt;,</p>');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain(`<a href="${link}">Choose a new password</a>`);
    const stored = await t.app
      .get<Connection>(getConnectionToken())
      .collection('password_resets')
      .find({ userId: { $exists: true } })
      .toArray();
    const own = stored.filter((doc) => String(doc.userId) === user.id);
    expect(own).toHaveLength(1);
    expect(own[0].tokenHash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('logs, in development, where the mail was written and its link; the reset request log holds neither token nor password', async () => {
    const user = await signUp(t);
    const token = await resetToken(user);
    expect((await reset(token)).status).toBe(204);
    const lines = t.logs.lines();
    const [mail] = await mailsTo(user.email);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          context: 'Mail',
          msg: `Mail "Reset your DobKonektor password" to ${user.email} written to ${join(t.config.get('MAIL_DIR'), mail.file)}`,
        }),
        expect.objectContaining({
          context: 'PasswordReset',
          msg: `Password reset link: ${RESET_URL}${token}`,
        }),
      ]),
    );
    const others = lines.filter((line) => line.context !== 'PasswordReset');
    expect(JSON.stringify(others)).not.toContain(token);
    expect(t.logs.text()).not.toContain(NEW_PASSWORD);
  });

  it('sets the new password with the token (204): the new one logs in, the old one no longer does', async () => {
    const user = await signUp(t);
    const token = await resetToken(user);
    const res = await reset(token);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
    expectError(
      await login(user.email, user.password),
      401,
      'UNAUTHORIZED',
      'Wrong email or password',
    );
  });

  /** The SHA-256 of every pending token of the user, oldest first. */
  async function pendingHashes(user: TestSession): Promise<string[]> {
    const docs = await t.app
      .get<Connection>(getConnectionToken())
      .collection('password_resets')
      .find({ userId: new Types.ObjectId(user.id) })
      .sort({ createdAt: 1, _id: 1 })
      .toArray();
    return docs.map((doc) => String(doc.tokenHash));
  }

  it('stops every pending link when the password is changed another way', async () => {
    const user = await signUp(t);
    const tokens = [await resetToken(user), await resetToken(user), await resetToken(user)];
    const changed = await user.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: user.password, newPassword: 'changed the usual way' });
    expect(changed.status).toBe(204);
    expect(await pendingHashes(user)).toEqual([]);
    for (const token of tokens) {
      expectError(await reset(token), 400, 'RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    }
    expect((await login(user.email, 'changed the usual way')).status).toBe(200);
  });

  it('takes a token once: a second use answers 400 RESET_TOKEN_INVALID and changes nothing', async () => {
    const user = await signUp(t);
    const token = await resetToken(user);
    expect((await reset(token)).status).toBe(204);
    expectError(
      await reset(token, 'yet another password'),
      400,
      'RESET_TOKEN_INVALID',
      RESET_TOKEN_INVALID_MESSAGE,
    );
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
    expect((await login(user.email, 'yet another password')).status).toBe(401);
  });

  it('gives one token to exactly one of 10 parallel resets: one 204, nine 400, and that password holds', async () => {
    const user = await signUp(t);
    const token = await resetToken(user);
    const passwords = Array.from({ length: 10 }, (_, i) => `parallel password ${i}`);
    const results = await Promise.all(passwords.map((password) => reset(token, password)));
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 204)) {
      expectError(res, 400, 'RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    }
    const winner = passwords[statuses.indexOf(204)];
    expect((await login(user.email, winner)).status).toBe(200);
  });

  it('expires a token PASSWORD_RESET_TTL_MINUTES (30) after the request, on the injected clock', async () => {
    const [early, late] = await Promise.all([signUp(t), signUp(t)]);
    const [earlyToken, lateToken] = [await resetToken(early), await resetToken(late)];
    try {
      t.clock.advance(30 * MINUTE_MS - 1000);
      expect((await reset(earlyToken)).status).toBe(204);
      t.clock.advance(1000);
      expectError(await reset(lateToken), 400, 'RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    } finally {
      t.clock.reset();
    }
    expect((await login(late.email, late.password)).status).toBe(200);
  });

  it('keeps three links per account, each working once: any of the three resets', async () => {
    const user = await signUp(t);
    for (const used of [0, 1, 2]) {
      const tokens = [await resetToken(user), await resetToken(user), await resetToken(user)];
      expect(new Set(tokens).size).toBe(3);
      expect(await pendingHashes(user)).toEqual(tokens.map(sha256));
      const password = `password of round ${used}`;
      expect((await reset(tokens[used], password)).status).toBe(204);
      expectError(
        await reset(tokens[used], 'used twice'),
        400,
        'RESET_TOKEN_INVALID',
        RESET_TOKEN_INVALID_MESSAGE,
      );
      expect((await login(user.email, password)).status).toBe(200);
    }
  });

  it('drops the oldest link on a fourth request; the three newest still work', async () => {
    const user = await signUp(t);
    const tokens = [
      await resetToken(user),
      await resetToken(user),
      await resetToken(user),
      await resetToken(user),
    ];
    expect(await pendingHashes(user)).toEqual(tokens.slice(1).map(sha256));
    expectError(await reset(tokens[0]), 400, 'RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    expect((await reset(tokens[1])).status).toBe(204);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('ends every pending link of the account with a successful reset', async () => {
    const user = await signUp(t);
    const [first, second, third] = [
      await resetToken(user),
      await resetToken(user),
      await resetToken(user),
    ];
    expect((await reset(second)).status).toBe(204);
    expect(await pendingHashes(user)).toEqual([]);
    for (const token of [first, third]) {
      expectError(
        await reset(token, 'yet another password'),
        400,
        'RESET_TOKEN_INVALID',
        RESET_TOKEN_INVALID_MESSAGE,
      );
    }
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("does not let a stranger's requests from another address cancel the owner's earlier link", async () => {
    const user = await signUp(t);
    const [owner, stranger] = [address(), address()];
    const token = await resetToken(user, owner);
    for (let i = 0; i < 2; i++) {
      expect((await forgot({ email: user.email }, stranger)).status).toBe(202);
    }
    expect(await mailsTo(user.email)).toHaveLength(3);
    expect((await reset(token)).status).toBe(204);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('does not let a stranger who used up the per-email limit from their address stop the owner asking from theirs', async () => {
    const user = await signUp(t);
    const [owner, stranger] = [address(), address()];
    for (let i = 0; i < 5; i++) {
      expect((await forgot({ email: user.email }, stranger)).status).toBe(202);
    }
    expectRateLimited(await forgot({ email: user.email }, stranger));
    const token = await resetToken(user, owner);
    expect(await mailsTo(user.email)).toHaveLength(6);
    expect((await reset(token)).status).toBe(204);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses unknown and malformed tokens with 400 RESET_TOKEN_INVALID', async () => {
    for (const token of ['x', 'A'.repeat(43), 'not a token at all', '%00'.repeat(80)]) {
      expectError(await reset(token), 400, 'RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    }
  });

  it('ends every session of the account: access tokens refused, refresh cookies refused, sockets disconnected', async () => {
    const user = await signUp(t);
    const other = await login(user.email, user.password);
    expect(other.status).toBe(200);
    const otherAccess = (other.body as { accessToken: string }).accessToken;
    const otherCookie = refreshCookieFrom(other.headers['set-cookie']);
    const socket = await connectSocket(t.baseUrl, user.accessToken);
    sockets.push(socket);
    const gone = disconnection(socket);
    expect((await reset(await resetToken(user))).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    for (const accessToken of [user.accessToken, otherAccess]) {
      const res = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${accessToken}`);
      expectError(res, 401, 'UNAUTHORIZED', 'Session ended; sign in again');
    }
    for (const cookie of [user.refreshCookie, otherCookie]) {
      const res = await t.http.post('/api/v1/auth/refresh').set('Cookie', cookie);
      expectError(res, 401, 'UNAUTHORIZED', 'Unknown, expired or revoked refresh token');
    }
  });

  it('answers an unknown email exactly like a known one (status, body, headers) and writes no mail for it', async () => {
    const user = await signUp(t);
    const nobody = unknownEmail();
    const before = (await mails()).length;
    const known = await forgot({ email: user.email });
    const unknown = await forgot({ email: nobody });
    expect({ status: unknown.status, text: unknown.text }).toEqual({ status: 202, text: '' });
    expect({ status: known.status, text: known.text }).toEqual({ status: 202, text: '' });
    expect(comparableHeaders(unknown)).toEqual(comparableHeaders(known));
    const after = await mails();
    expect(after).toHaveLength(before + 1);
    expect(after.filter((mail) => mail.headers.to === nobody)).toEqual([]);
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it('answers known and unknown emails in similar time: the lookup and the mail happen after the answer', async () => {
    const users = await Promise.all(Array.from({ length: 7 }, () => signUp(t)));
    const timed = async (email: string): Promise<number> => {
      await t.app.get(PasswordResetsService).idle();
      const started = process.hrtime.bigint();
      expect((await forgot({ email })).status).toBe(202);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (const user of users) {
      knownMs.push(await timed(user.email));
      unknownMs.push(await timed(unknownEmail()));
    }
    const [k, u] = [median(knownMs), median(unknownMs)];
    expect(Math.max(k, u)).toBeLessThanOrEqual(3 * Math.min(k, u) + 20);
    const recipients = (await mails()).map((mail) => mail.headers.to);
    expect(recipients).toEqual(expect.arrayContaining(users.map((user) => user.email)));
  });

  it('sends no mail to a banned account, with the same 202; a link it had still resets, and login stays 403 ACCOUNT_BANNED', async () => {
    const user = await signUp(t);
    const token = await resetToken(user);
    await t.app.get(UsersService).updateByAdmin(user.id, { banned: true });
    const res = await forgot({ email: user.email });
    expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
    expect(await mailsTo(user.email)).toHaveLength(1);
    expect((await reset(token)).status).toBe(204);
    expectError(
      await login(user.email, NEW_PASSWORD),
      403,
      'ACCOUNT_BANNED',
      'This account is banned',
    );
  });

  it('limits requests per email from one address to FORGOT_EMAIL_RATE_PER_HOUR (5), for unknown emails alike', async () => {
    const user = await signUp(t);
    for (const email of [user.email, unknownEmail()]) {
      const from = address();
      for (let i = 0; i < 5; i++) {
        const variant = i % 2 === 0 ? email : ` ${email.toUpperCase()} `;
        expect((await forgot({ email: variant }, from)).status).toBe(202);
      }
      expectRateLimited(await forgot({ email }, from));
      expect((await forgot({ email: unknownEmail() }, from)).status).toBe(202);
      expect((await forgot({ email })).status).toBe(202);
    }
    expect(await mailsTo(user.email)).toHaveLength(6);
  });

  it('limits requests per email over all addresses to FORGOT_EMAIL_TOTAL_RATE_PER_HOUR (20), for unknown emails alike', async () => {
    const user = await signUp(t);
    for (const email of [user.email, unknownEmail()]) {
      for (let i = 0; i < 20; i++) {
        const variant = i % 2 === 0 ? email : ` ${email.toUpperCase()} `;
        expect((await forgot({ email: variant })).status).toBe(202);
      }
      expectRateLimited(await forgot({ email }));
      expectRateLimited(await forgot({ email: ` ${email.toUpperCase()}` }));
      expect((await forgot({ email: unknownEmail() })).status).toBe(202);
    }
    expect(await mailsTo(user.email)).toHaveLength(20);
    expect(await pendingHashes(user)).toHaveLength(3);
  });

  it('limits requests per address to FORGOT_ADDRESS_RATE_PER_HOUR (20), whatever the emails', async () => {
    const from = address();
    for (let i = 0; i < 20; i++) {
      expect((await forgot({ email: unknownEmail() }, from)).status).toBe(202);
    }
    expectRateLimited(await forgot({ email: unknownEmail() }, from));
    expect((await forgot({ email: unknownEmail() }, address())).status).toBe(202);
  });

  it.each([
    ['no email', {}, [{ field: 'email', message: NO_EMAIL }]],
    [
      'an email that is not one',
      { email: 'not-an-email' },
      [{ field: 'email', message: NOT_AN_EMAIL }],
    ],
    ['an email that is not a string', { email: 42 }, [{ field: 'email', message: NO_EMAIL }]],
    [
      'an extra field',
      { email: 'a@example.com', admin: true },
      [{ field: 'admin', message: NOT_ALLOWED }],
    ],
  ])('refuses a forgot request with %s: 400 naming the field', async (_, body, details) => {
    expectError(await forgot(body), 400, 'VALIDATION_FAILED', 'Validation failed', details);
  });

  it.each([
    ['no token', { newPassword: NEW_PASSWORD }, [{ field: 'token', message: NO_TOKEN }]],
    [
      'a 7-byte new password',
      { token: 'A'.repeat(43), newPassword: 'abcdefg' },
      [{ field: 'newPassword', message: 'must be 8 to 72 bytes long' }],
    ],
    [
      'a 73-byte new password',
      { token: 'A'.repeat(43), newPassword: 'a'.repeat(73) },
      [{ field: 'newPassword', message: 'must be 8 to 72 bytes long' }],
    ],
    [
      'an extra field',
      { token: 'A'.repeat(43), newPassword: NEW_PASSWORD, email: 'a@example.com' },
      [{ field: 'email', message: NOT_ALLOWED }],
    ],
  ])('refuses a reset with %s: 400 naming the field', async (_, body, details) => {
    const res = await t.http.post(RESET).set('X-Forwarded-For', address()).send(body);
    expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', details);
  });

  it('does not use the token of a reset refused for a weak password', async () => {
    const user = await signUp(t);
    const token = await resetToken(user);
    expect((await reset(token, 'short')).status).toBe(400);
    expect((await reset(token)).status).toBe(204);
  });

  it('drops, at start, the unique index on userId of a database from the one-token time', async () => {
    const collection = t.app.get<Connection>(getConnectionToken()).collection('password_resets');
    await collection.deleteMany({});
    await collection.createIndexes([{ key: { userId: 1 }, unique: true, name: 'userId_1' }]);
    await t.app.get(PasswordResetsRepository).onApplicationBootstrap();
    const indexes = (await collection.listIndexes().toArray()) as { name: string }[];
    const names = indexes.map((index) => index.name);
    expect(names).not.toContain('userId_1');
    expect(names).toContain('userId_1_createdAt_-1__id_-1');
    await t.app.get(PasswordResetsRepository).onApplicationBootstrap();
    const user = await signUp(t);
    const [first, second] = [await resetToken(user), await resetToken(user)];
    expect(await pendingHashes(user)).toEqual([first, second].map(sha256));
  });
});

describe('password reset in production without SMTP_URL', () => {
  let mongo: EmbeddedMongo | undefined;
  let t: TestApp;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        MONGO_URL: `${mongo.uri}dobkonektor`,
        JWT_SECRET: 'a-production-jwt-secret-of-at-least-32-characters',
        METRICS_TOKEN: 'metrics-token-of-at-least-thirty-two-characters',
        BCRYPT_COST: '10',
      },
    });
  });

  afterAll(async () => {
    await closeAll(t);
    await mongo?.stop();
  });

  it('answers every forgot request 503 SERVICE_UNAVAILABLE and writes no mail', async () => {
    for (const email of [unknownEmail(), 'ada@example.com']) {
      expectError(
        await t.http.post(FORGOT).send({ email }),
        503,
        'SERVICE_UNAVAILABLE',
        'Password reset by mail is not available',
      );
    }
    await expect(readdir(t.config.get('MAIL_DIR'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
