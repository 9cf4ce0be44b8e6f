import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { UsersService } from '@app/users';
import {
  AVATAR_URL,
  createTestApp,
  expectError,
  inviteCode,
  signUp,
  type TestApp,
} from './support';
import { closeAll } from './support/teardown';

const SIGNUP = '/api/v1/auth/signup';
const LOGIN = '/api/v1/auth/login';
const OBJECT_ID = /^[0-9a-f]{24}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const DAY_MS = 86_400_000;
const PASSWORD = 'correct horse battery';
const BAD_PASSWORD = { field: 'password', message: 'must be 8 to 72 bytes long' };
const NAME_LENGTH = 'must be 2 to 40 characters long';
const NAME_HIDDEN = 'must not contain control, invisible, blank or line-separating characters';
const NAME_INVISIBLE = 'must show at least 2 visible characters';
const NAME_RESERVED =
  'must not be, or look like, a reserved name (admin, moderator, support, system, …)';
const BAD_BIRTH_DATE = {
  field: 'birthDate',
  message: 'must be a real calendar date written YYYY-MM-DD',
};
const INVITE_INVALID_MESSAGE = 'This invite code is unknown, expired, revoked or already used';

interface SignupBody {
  email: string;
  password: string;
  displayName: string;
  birthDate: string;
  inviteCode: string;
}

function email(): string {
  return `signup-${randomUUID()}@example.com`;
}

function expectValidation(res: Response, ...details: object[]): void {
  expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', details);
}

function expectInviteInvalid(res: Response): void {
  expectError(res, 400, 'INVITE_INVALID', INVITE_INVALID_MESSAGE);
}

/** The attributes of the refresh_token Set-Cookie line, names lower-cased. */
function refreshCookieAttributes(res: Response): { value: string; attributes: string[] } {
  const lines = res.headers['set-cookie'] as unknown as string[] | undefined;
  const line = (lines ?? []).find((cookie) => cookie.startsWith('refresh_token='));
  if (!line) throw new Error('no refresh_token cookie was set');
  const [pair, ...attributes] = line.split(/;\s*/);
  return {
    value: pair.slice('refresh_token='.length),
    attributes: attributes.map((a) => (a.includes('=') ? a : a.toLowerCase())),
  };
}

describe('signup', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Failed logins are used below as proof that no account exists; limits have their own suite.
    t = await createTestApp({
      env: { LOGIN_MAX_FAILURES: '10000', INVITE_CHECK_RATE_PER_MINUTE: '10000' },
    });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function body(overrides: Partial<SignupBody> = {}): Promise<SignupBody> {
    return {
      email: email(),
      password: PASSWORD,
      displayName: 'Ada Lovelace',
      birthDate: '1990-05-17',
      inviteCode: overrides.inviteCode ?? (await inviteCode(t, 1)),
      ...overrides,
    };
  }

  function signup(input: object): Promise<Response> {
    return t.http.post(SIGNUP).send(input);
  }

  function login(address: string, password: string): Promise<Response> {
    return t.http.post(LOGIN).send({ email: address, password });
  }

  async function inviteIsValid(code: string): Promise<boolean> {
    const res = await t.http.get(`/api/v1/invites/${code}/check`);
    expect(res.status).toBe(200);
    return (res.body as { valid: boolean }).valid;
  }

  it('answers 201 {user, accessToken, expiresIn} and a refresh_token cookie (HttpOnly, SameSite=Strict, Path=/api/v1/auth, not Secure outside production)', async () => {
    const input = await body({ birthDate: '1984-03-07' });
    const res = await signup(input);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      user: {
        id: expect.stringMatching(OBJECT_ID) as unknown,
        email: input.email,
        displayName: 'Ada Lovelace',
        bio: '',
        avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
        birthDate: '1984-03-07',
        role: 'user',
        tokens: t.config.get('SIGNUP_TOKENS'),
        createdAt: expect.stringMatching(ISO_TIME) as unknown,
      },
      accessToken: expect.stringMatching(JWT) as unknown,
      expiresIn: t.config.get('ACCESS_TOKEN_TTL_SECONDS'),
    });
    const cookie = refreshCookieAttributes(res);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes).toEqual(
      expect.arrayContaining(['httponly', 'SameSite=Strict', 'Path=/api/v1/auth']),
    );
    expect(cookie.attributes).not.toContain('secure');
    const { user, accessToken } = res.body as { user: object; accessToken: string };
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(user);
  });

  it('stores the email lower-cased and trimmed, and logs in with it in any case', async () => {
    const local = `Mixed.Case-${randomUUID()}`;
    const res = await signup(await body({ email: `  ${local}@Example.COM  ` }));
    expect(res.status).toBe(201);
    const stored = `${local.toLowerCase()}@example.com`;
    expect((res.body as { user: { email: string } }).user.email).toBe(stored);
    expect((await t.app.get(UsersService).findByEmail(stored))?.email).toBe(stored);
    const again = await login(` ${stored.toUpperCase()} `, PASSWORD);
    expect(again.status).toBe(200);
    expect((again.body as { user: { email: string } }).user.email).toBe(stored);
  });

  it('answers 409 CONFLICT naming email when the email is already registered (in any case), and leaves the invite unused', async () => {
    const first = await signUp(t);
    const code = await inviteCode(t, 1);
    const res = await signup(await body({ email: first.email.toUpperCase(), inviteCode: code }));
    expectError(res, 409, 'CONFLICT', 'An account with this email already exists', [
      { field: 'email', message: 'is already registered' },
    ]);
    expect(await inviteIsValid(code)).toBe(true);
    expect((await signup(await body({ inviteCode: code }))).status).toBe(201);
  });

  it('tells a registered email only to a holder of a valid invite: without one, 400 INVITE_INVALID', async () => {
    const first = await signUp(t);
    const res = await signup(await body({ email: first.email, inviteCode: 'ZZZZ-ZZZZ-ZZZZ' }));
    expectInviteInvalid(res);
  });

  it('refuses an invalid email with 400 naming email', async () => {
    const input = await body({ email: 'not-an-email' });
    expectValidation(await signup(input), {
      field: 'email',
      message: 'must be a valid email address',
    });
    expect(await inviteIsValid(input.inviteCode)).toBe(true);
  });

  it.each([
    ['7 bytes', 'abcdefg'],
    ['73 bytes in 25 three-byte and one-byte characters', `${'€'.repeat(24)}a`],
    ['73 bytes in 37 two-byte and one-byte characters', `${'é'.repeat(36)}a`],
    ['empty', ''],
  ])('refuses a password of %s with 400 naming password, and creates no account', async (_, pw) => {
    const input = await body({ password: pw });
    expectValidation(await signup(input), BAD_PASSWORD);
    expectError(await login(input.email, pw), 401, 'UNAUTHORIZED', 'Wrong email or password');
  });

  it.each([
    ['exactly 72 bytes of three-byte characters', '€'.repeat(24)],
    ['exactly 72 bytes of two-byte characters', 'é'.repeat(36)],
    ['exactly 8 bytes', 'abcdefgh'],
  ])(
    'accepts a password of %s, stores only a bcrypt hash of it, and logs in with it',
    async (_, pw) => {
      const input = await body({ password: pw });
      expect((await signup(input)).status).toBe(201);
      const stored = await t.app.get(UsersService).findByEmail(input.email);
      expect(stored?.passwordHash).toMatch(/^\$2[aby]\$\d{2}\$/);
      expect(stored?.passwordHash).not.toContain(pw);
      expect((await login(input.email, pw)).status).toBe(200);
      expect((await login(input.email, `${pw.slice(0, -1)}!`)).status).toBe(401);
    },
  );

  it('refuses a login with a 73-byte password whose first 72 bytes are the real password (bcrypt reads only 72)', async () => {
    const pw = '€'.repeat(24);
    const input = await body({ password: pw });
    expect((await signup(input)).status).toBe(201);
    expectError(await login(input.email, `${pw}x`), 401, 'UNAUTHORIZED', 'Wrong email or password');
  });

  it.each([
    ['  Ada Lovelace  ', 'Ada Lovelace'],
    [' Al ', 'Al'],
    ['x'.repeat(40), 'x'.repeat(40)],
    ['🎂'.repeat(40), '🎂'.repeat(40)],
  ])('accepts the displayName %j and stores it trimmed as %j', async (given, stored) => {
    const res = await signup(await body({ displayName: given }));
    expect(res.status).toBe(201);
    expect((res.body as { user: { displayName: string } }).user.displayName).toBe(stored);
  });

  it.each([
    ['one character after trimming', '  A  ', NAME_LENGTH],
    ['only spaces', '    ', NAME_LENGTH],
    ['41 characters', 'x'.repeat(41), NAME_LENGTH],
    ['a bell control character', 'Ada\u0007Lovelace', NAME_HIDDEN],
    ['a line break', 'Ada\nLovelace', NAME_HIDDEN],
    ['a NUL character', 'Ada\u0000', NAME_HIDDEN],
    ['two Hangul fillers (U+3164)', '\u3164\u3164', NAME_HIDDEN],
    ['two halfwidth Hangul fillers (U+FFA0)', '\uFFA0\uFFA0', NAME_HIDDEN],
    ['two braille blanks (U+2800)', '\u2800\u2800', NAME_INVISIBLE],
    ['a line separator (U+2028) inside', 'Ada\u2028Lovelace', NAME_HIDDEN],
    ['a paragraph separator (U+2029) inside', 'Ada\u2029Lovelace', NAME_HIDDEN],
    ['"Аdmin" with a Cyrillic А', '\u0410dmin', NAME_RESERVED],
    ['"admin"', 'admin', NAME_RESERVED],
    ['"ADMINISTRATOR"', 'ADMINISTRATOR', NAME_RESERVED],
    ['"Моderator" with a Cyrillic М and о', '\u041C\u043Ederator', NAME_RESERVED],
    ['"Ѕupport" with a Cyrillic Ѕ', '\u0405upport', NAME_RESERVED],
    ['"Sуstem" with a Cyrillic у', 'S\u0443stem', NAME_RESERVED],
    ['"DobKonektor" in fullwidth letters', 'Ｄｏｂｋｏｎｅｋｔｏｒ', NAME_RESERVED],
    ['"d o b k o n e k t o r" spaced out', 'd o b k o n e k t o r', NAME_RESERVED],
  ])(
    'refuses a displayName of %s with 400 naming displayName, and keeps the invite',
    async (_, displayName, message) => {
      const input = await body({ displayName });
      expectValidation(await signup(input), { field: 'displayName', message });
      expect(await inviteIsValid(input.inviteCode)).toBe(true);
    },
  );

  it.each([
    ['Administrative Ada', 'Administrative Ada'],
    ['Ada \u2764\uFE0F', 'Ada \u2764\uFE0F'],
    ['김민준', '김민준'],
  ])('accepts the displayName %j, which only resembles nothing reserved', async (given, stored) => {
    const res = await signup(await body({ displayName: given }));
    expect(res.status).toBe(201);
    expect((res.body as { user: { displayName: string } }).user.displayName).toBe(stored);
  });

  it.each([
    ['2001-02-29 (2001 is not a leap year)', '2001-02-29'],
    ['a 13th month', '1990-13-01'],
    ['day 0', '1990-05-00'],
    ['another format', '17/05/1990'],
    ['a timestamp', '1990-05-17T00:00:00Z'],
  ])('refuses the birthDate %s with 400 naming birthDate', async (_, birthDate) => {
    const input = await body({ birthDate });
    expectValidation(await signup(input), BAD_BIRTH_DATE);
    expect(await inviteIsValid(input.inviteCode)).toBe(true);
  });

  it.each([
    ['1899-12-31', '1899-12-31'],
    ['in year 1', '0001-01-01'],
    ['in year 1000', '1000-06-15'],
  ])('refuses the birthDate %s (before 1900) with 400 naming birthDate', async (_, birthDate) => {
    const input = await body({ birthDate });
    expectValidation(await signup(input), {
      field: 'birthDate',
      message: 'must be 1900-01-01 or later',
    });
    expect(await inviteIsValid(input.inviteCode)).toBe(true);
  });

  it('accepts 1900-01-01, the earliest birth date', async () => {
    const res = await signup(await body({ birthDate: '1900-01-01' }));
    expect(res.status).toBe(201);
    expect((res.body as { user: { birthDate: string } }).user.birthDate).toBe('1900-01-01');
  });

  it('accepts 2000-02-29, a real leap day', async () => {
    const res = await signup(await body({ birthDate: '2000-02-29' }));
    expect(res.status).toBe(201);
    expect((res.body as { user: { birthDate: string } }).user.birthDate).toBe('2000-02-29');
  });

  it('refuses a birth date in the future or younger than MIN_SIGNUP_AGE, and accepts one exactly MIN_SIGNUP_AGE years ago today', async () => {
    const minAge = t.config.get('MIN_SIGNUP_AGE');
    t.clock.set(new Date('2031-03-10T12:00:00.000Z'));
    try {
      const code = await inviteCode(t, 1);
      const year = 2031 - minAge;
      expectValidation(await signup(await body({ birthDate: '2031-03-11', inviteCode: code })), {
        field: 'birthDate',
        message: 'must not be in the future',
      });
      const tooYoung = { field: 'birthDate', message: `must be at least ${minAge} years ago` };
      for (const birthDate of [`${year}-03-11`, `${year}-12-31`, '2031-03-10']) {
        expectValidation(await signup(await body({ birthDate, inviteCode: code })), tooYoung);
      }
      expect(await inviteIsValid(code)).toBe(true);
      const res = await signup(await body({ birthDate: `${year}-03-10`, inviteCode: code }));
      expect(res.status).toBe(201);
      expect((res.body as { user: { birthDate: string } }).user.birthDate).toBe(`${year}-03-10`);
    } finally {
      t.clock.reset();
    }
  });

  it('refuses unknown, used, revoked and expired invite codes with 400 INVITE_INVALID and creates no account', async () => {
    const used = await inviteCode(t, 1);
    await signUp(t, { inviteCode: used });
    const inviter = await signUp(t);
    const created = await t.http.post('/api/v1/invites').set(inviter.auth);
    expect(created.status).toBe(201);
    const revoked = (created.body as { code: string }).code;
    expect((await t.http.delete(`/api/v1/invites/${revoked}`).set(inviter.auth)).status).toBe(204);
    for (const code of ['ABCD-EFGH-JKMN', 'nope', used, revoked]) {
      const input = await body({ inviteCode: code });
      expectInviteInvalid(await signup(input));
      expect((await login(input.email, PASSWORD)).status).toBe(401);
    }
    const expiring = await inviteCode(t, 1);
    t.clock.advance(31 * DAY_MS);
    try {
      const input = await body({ inviteCode: expiring });
      expectInviteInvalid(await signup(input));
      expect((await login(input.email, PASSWORD)).status).toBe(401);
    } finally {
      t.clock.reset();
    }
  });

  it('refuses a missing invite code with 400 naming inviteCode', async () => {
    const input: Partial<SignupBody> = await body();
    delete input.inviteCode;
    const res = await signup(input);
    expect(res.status).toBe(400);
    const details = (res.body as { details: { field: string }[] }).details;
    expect(details.map((detail) => detail.field)).toEqual(['inviteCode']);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED' });
  });

  it('refuses unknown body fields with 400 naming each, and creates no account', async () => {
    const input = await body();
    const res = await signup({ ...input, role: 'admin', tokens: 1_000_000 });
    expectValidation(
      res,
      { field: 'role', message: 'is not an allowed field' },
      { field: 'tokens', message: 'is not an allowed field' },
    );
    expect(await inviteIsValid(input.inviteCode)).toBe(true);
    expect((await login(input.email, PASSWORD)).status).toBe(401);
  });

  it.each([
    ['a top-level "$" key', { $where: 'true' }, '$where'],
    ['an operator as the email', { email: { $gt: '' } }, 'email.$gt'],
    ['a key containing "."', { 'profile.role': 'admin' }, 'profile.role'],
  ])('refuses %s with 400 and creates no account', async (_, extra, field) => {
    const input = await body();
    const res = await signup({ ...input, ...extra });
    expectError(
      res,
      400,
      'VALIDATION_FAILED',
      'The request has forbidden keys or is nested too deeply',
      [{ field, message: 'body keys must not start with "$" or contain "."' }],
    );
    expect(await inviteIsValid(input.inviteCode)).toBe(true);
  });

  it('starts the new user with SIGNUP_TOKENS tokens, written as one signup ledger entry', async () => {
    const user = await signUp(t);
    const amount = t.config.get('SIGNUP_TOKENS');
    const balance = await t.http.get('/api/v1/tokens').set(user.auth);
    expect(balance.status).toBe(200);
    expect(balance.body).toEqual({ balance: amount });
    const ledger = await t.http.get('/api/v1/tokens/ledger').set(user.auth);
    expect(ledger.status).toBe(200);
    expect(ledger.body).toEqual({
      items: [
        {
          id: expect.stringMatching(OBJECT_ID) as unknown,
          delta: amount,
          reason: 'signup',
          balanceAfter: amount,
          ref: null,
          createdAt: expect.stringMatching(ISO_TIME) as unknown,
        },
      ],
      nextCursor: null,
    });
  });

  it('records who invited the account: the inviter sees the code used by the invitee (public view only)', async () => {
    const inviter = await signUp(t);
    const created = await t.http.post('/api/v1/invites').set(inviter.auth);
    expect(created.status).toBe(201);
    const { code } = created.body as { code: string };
    const invitee = await signUp(t, { inviteCode: code, displayName: 'Invited Person' });
    expect((await t.app.get(UsersService).findById(invitee.id))?.invitedBy).toBe(inviter.id);
    const listing = await t.http.get('/api/v1/invites').set(inviter.auth);
    expect(listing.status).toBe(200);
    expect(listing.body).toEqual({
      items: [
        {
          id: expect.stringMatching(OBJECT_ID) as unknown,
          code,
          status: 'used',
          maxUses: 1,
          uses: 1,
          expiresAt: expect.stringMatching(ISO_TIME) as unknown,
          revokedAt: null,
          createdAt: expect.stringMatching(ISO_TIME) as unknown,
          invitees: [
            {
              user: {
                id: invitee.id,
                displayName: 'Invited Person',
                avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
                bio: '',
              },
              usedAt: expect.stringMatching(ISO_TIME) as unknown,
            },
          ],
        },
      ],
      nextCursor: null,
    });
  });

  it('gives one single-use invite to exactly one of 20 parallel signups: one 201, nineteen 400 INVITE_INVALID, one account', async () => {
    const code = await inviteCode(t, 1);
    const inputs = await Promise.all(Array.from({ length: 20 }, () => body({ inviteCode: code })));
    const results = await Promise.all(inputs.map((input) => signup(input)));
    const winners = results.filter((res) => res.status === 201);
    expect(winners).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 201)) expectInviteInvalid(res);
    const logins = await Promise.all(inputs.map((input) => login(input.email, PASSWORD)));
    const signedIn = inputs.filter((_, i) => logins[i].status === 200).map((input) => input.email);
    expect(signedIn).toEqual([(winners[0].body as { user: { email: string } }).user.email]);
    expect(logins.filter((res) => res.status !== 200).every((res) => res.status === 401)).toBe(
      true,
    );
    expect(await inviteIsValid(code)).toBe(false);
  });

  it('gives back the invite uses of parallel signups that lose on a duplicate email', async () => {
    const code = await inviteCode(t, 5);
    const input = await body({ inviteCode: code });
    const results = await Promise.all(Array.from({ length: 5 }, () => signup(input)));
    expect(results.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const more = [];
    for (let i = 0; i < 4; i++) more.push((await signup(await body({ inviteCode: code }))).status);
    expect(more).toEqual([201, 201, 201, 201]);
    expectInviteInvalid(await signup(await body({ inviteCode: code })));
  });
});
