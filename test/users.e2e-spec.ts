import { getConnectionToken } from '@nestjs/mongoose';
import { type Connection, Types } from 'mongoose';
import { createHash, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { TokensService } from '@app/tokens';
import { UsersService } from '@app/users';
import {
  AVATAR_URL,
  createTestApp,
  expectError,
  inviteCode,
  refreshCookieFrom,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

const ME = '/api/v1/auth/me';
const PROFILE = '/api/v1/users/me';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PRIVATE_KEYS = [
  'avatarUrl',
  'bio',
  'birthDate',
  'createdAt',
  'displayName',
  'email',
  'id',
  'role',
  'tokens',
];
const PUBLIC_KEYS = ['avatarUrl', 'bio', 'displayName', 'id'];
const NAME_LENGTH = 'must be 2 to 40 characters long';
const NAME_HIDDEN = 'must not contain control, invisible, blank or line-separating characters';
const BAD_BIO =
  'must be at most 280 characters without control or invisible formatting characters other than line breaks';

interface PrivateView {
  id: string;
  email: string;
  displayName: string;
  bio: string;
  birthDate: string;
  role: string;
  tokens: number;
}

describe('users: private and public views, profile, roles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function meOf(user: TestSession): Promise<PrivateView> {
    const res = await t.http.get(ME).set(user.auth);
    expect(res.status).toBe(200);
    return res.body as PrivateView;
  }

  function patch(user: TestSession, body: object): Promise<Response> {
    return t.http.patch(PROFILE).set(user.auth).send(body);
  }

  describe('GET /auth/me', () => {
    it('answers the private view: exactly id, email, displayName, bio, avatarUrl, birthDate, role, tokens, createdAt', async () => {
      const user = await signUp(t, { displayName: 'Private Person', birthDate: '1979-11-23' });
      const res = await t.http.get(ME).set(user.auth);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body as object).sort()).toEqual(PRIVATE_KEYS);
      expect(res.body).toEqual({
        id: user.id,
        email: user.email,
        displayName: 'Private Person',
        bio: '',
        avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
        birthDate: '1979-11-23',
        role: 'user',
        tokens: t.config.get('SIGNUP_TOKENS'),
        createdAt: expect.stringMatching(ISO_TIME) as unknown,
      });
    });

    it('shows the current token balance', async () => {
      const user = await signUp(t);
      await t.app.get(TokensService).spend(user.id, 3, 'message');
      expect((await meOf(user)).tokens).toBe(t.config.get('SIGNUP_TOKENS') - 3);
    });

    it('needs an access token', async () => {
      expectError(await t.http.get(ME), 401, 'UNAUTHORIZED', 'A valid access token is required');
    });
  });

  describe('PATCH /users/me', () => {
    it('changes displayName (trimmed) and bio and answers the private view', async () => {
      const [user, viewer] = await Promise.all([signUp(t), signUp(t)]);
      const before = await meOf(user);
      const res = await patch(user, { displayName: '  Grace Hopper ', bio: 'Line one\nLine two' });
      expect(res.status).toBe(200);
      const after = {
        ...before,
        displayName: 'Grace Hopper',
        bio: 'Line one\nLine two',
        // New initials, so a new generated avatar and URL.
        avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
      };
      expect(res.body).toEqual(after);
      expect(await meOf(user)).toEqual(after);
      const seen = await t.http.get(`/api/v1/users/${user.id}`).set(viewer.auth);
      expect(seen.body).toEqual({
        id: user.id,
        displayName: 'Grace Hopper',
        avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
        bio: 'Line one\nLine two',
      });
    });

    it('changes only the fields given', async () => {
      const user = await signUp(t, { displayName: 'Kept Name' });
      expect((await patch(user, { bio: 'Only the bio' })).status).toBe(200);
      expect(await meOf(user)).toMatchObject({ displayName: 'Kept Name', bio: 'Only the bio' });
      expect((await patch(user, { displayName: 'New Name' })).status).toBe(200);
      expect(await meOf(user)).toMatchObject({ displayName: 'New Name', bio: 'Only the bio' });
      expect((await patch(user, { bio: '' })).status).toBe(200);
      expect(await meOf(user)).toMatchObject({ displayName: 'New Name', bio: '' });
    });

    it.each([
      ['a one-character displayName', { displayName: ' A ' }, 'displayName', NAME_LENGTH],
      ['a 41-character displayName', { displayName: 'x'.repeat(41) }, 'displayName', NAME_LENGTH],
      [
        'a displayName with a control character',
        { displayName: 'Bad\u001bName' },
        'displayName',
        NAME_HIDDEN,
      ],
      [
        'an invisible displayName (zero-width spaces)',
        { displayName: '\u200B\u200B' },
        'displayName',
        NAME_HIDDEN,
      ],
      [
        'a displayName with a right-to-left override',
        { displayName: 'ab\u202Ecd' },
        'displayName',
        NAME_HIDDEN,
      ],
      ['a null displayName', { displayName: null }, 'displayName', 'must be a string'],
      ['a null bio', { bio: null }, 'bio', BAD_BIO],
      ['a 281-character bio', { bio: 'b'.repeat(281) }, 'bio', BAD_BIO],
      ['a bio with a NUL character', { bio: 'nul\u0000here' }, 'bio', BAD_BIO],
    ])(
      'refuses %s with 400 naming the field, and changes nothing',
      async (_, body, field, message) => {
        const user = await signUp(t);
        const before = await meOf(user);
        const res = await patch(user, body);
        expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', [{ field, message }]);
        expect(await meOf(user)).toEqual(before);
      },
    );

    it('accepts emoji sequences joined by zero-width joiners in a displayName', async () => {
      const user = await signUp(t);
      const res = await patch(user, {
        displayName: '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} Family',
      });
      expect(res.status).toBe(200);
      expect((res.body as PrivateView).displayName).toBe(
        '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} Family',
      );
    });

    it('accepts a 280-character bio', async () => {
      const user = await signUp(t);
      expect((await patch(user, { bio: 'b'.repeat(280) })).status).toBe(200);
      expect((await meOf(user)).bio).toBe('b'.repeat(280));
    });

    it.each([
      ['birthDate', '2001-01-01'],
      ['email', 'changed@example.com'],
      ['role', 'admin'],
      ['tokens', 1_000_000],
      ['banned', false],
      ['avatarUrl', 'https://example.com/a.png'],
    ])(
      'cannot change %s: 400 naming it as not allowed, and nothing changes',
      async (field, value) => {
        const user = await signUp(t);
        const before = await meOf(user);
        const res = await patch(user, { displayName: 'Sneaky Change', [field]: value });
        expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', [
          { field, message: 'is not an allowed field' },
        ]);
        expect(await meOf(user)).toEqual(before);
      },
    );

    it('refuses "$" keys with 400', async () => {
      const user = await signUp(t);
      const res = await patch(user, { $set: { role: 'admin' } });
      expectError(
        res,
        400,
        'VALIDATION_FAILED',
        'The request has forbidden keys or is nested too deeply',
        [{ field: '$set', message: 'body keys must not start with "$" or contain "."' }],
      );
      expect((await meOf(user)).role).toBe('user');
    });

    it('needs an access token', async () => {
      const res = await t.http.patch(PROFILE).send({ bio: 'anonymous' });
      expectError(res, 401, 'UNAUTHORIZED', 'A valid access token is required');
    });
  });

  describe('GET /users/:id', () => {
    it('answers the public view: exactly id, displayName, avatarUrl, bio', async () => {
      const [user, viewer] = await Promise.all([
        signUp(t, { displayName: 'Public Person', birthDate: '1966-06-16' }),
        signUp(t),
      ]);
      await patch(user, { bio: 'Hello there' });
      for (const caller of [viewer, user]) {
        const res = await t.http.get(`/api/v1/users/${user.id}`).set(caller.auth);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body as object).sort()).toEqual(PUBLIC_KEYS);
        expect(res.body).toEqual({
          id: user.id,
          displayName: 'Public Person',
          avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
          bio: 'Hello there',
        });
      }
    });

    it('answers 400 naming id for a malformed id, 404 for an unknown one', async () => {
      const user = await signUp(t);
      for (const id of ['not-an-id', '0123456789abcdef0123456', 'zzzzzzzzzzzzzzzzzzzzzzzz']) {
        expectError(
          await t.http.get(`/api/v1/users/${id}`).set(user.auth),
          400,
          'VALIDATION_FAILED',
          'Validation failed',
          [{ field: 'id', message: 'must be a 24-character hexadecimal id' }],
        );
      }
      const unknown = await t.http.get('/api/v1/users/0123456789abcdef01234567').set(user.auth);
      expectError(unknown, 404, 'NOT_FOUND', 'No such user');
    });

    it('answers 404 for a deleted user', async () => {
      const [user, viewer] = await Promise.all([signUp(t), signUp(t)]);
      await t.app.get(UsersService).deleteById(user.id);
      const res = await t.http.get(`/api/v1/users/${user.id}`).set(viewer.auth);
      expectError(res, 404, 'NOT_FOUND', 'No such user');
    });

    it('needs an access token', async () => {
      const user = await signUp(t);
      expectError(
        await t.http.get(`/api/v1/users/${user.id}`),
        401,
        'UNAUTHORIZED',
        'A valid access token is required',
      );
    });
  });

  describe('roles', () => {
    interface Operation {
      method: 'get' | 'post' | 'patch' | 'put' | 'delete';
      path: string;
    }

    async function adminOperations(): Promise<Operation[]> {
      const docs = await t.http.get('/docs-json');
      expect(docs.status).toBe(200);
      const paths = (docs.body as { paths: Record<string, Record<string, { tags?: string[] }>> })
        .paths;
      const operations: Operation[] = [];
      for (const [path, methods] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (!operation.tags?.includes('admin') && !path.startsWith('/api/v1/admin')) continue;
          operations.push({
            method: method as Operation['method'],
            path: path.replace(/\{[^}]+\}/g, '0123456789abcdef01234567'),
          });
        }
      }
      return operations;
    }

    it('admin routes answer 403 FORBIDDEN to users, 401 without a token, and serve admins', async () => {
      // A second admin: the last admin cannot be demoted, and this one is demoted below.
      const [user, admin] = await Promise.all([signUp(t), signUpAdmin(t), signUpAdmin(t)]);
      const operations = await adminOperations();
      expect(operations.length).toBeGreaterThan(0);
      for (const { method, path } of operations) {
        const asUser = await t.http[method](path).set(user.auth).send({});
        expectError(asUser, 403, 'FORBIDDEN', 'This needs the admin role');
        expectError(
          await t.http[method](path).send({}),
          401,
          'UNAUTHORIZED',
          'A valid access token is required',
        );
      }
      const list = operations.find((op) => op.method === 'get' && !/[0-9a-f]{24}/.test(op.path));
      if (!list) throw new Error('no admin GET route without parameters to check admins against');
      expect((await t.http.get(list.path).set(admin.auth)).status).toBe(200);
      expect((await t.http.get(list.path).set(user.auth)).status).toBe(403);
      await t.app.get(UsersService).updateByAdmin(admin.id, { role: 'user' });
      expectError(
        await t.http.get(list.path).set(admin.auth),
        403,
        'FORBIDDEN',
        'This needs the admin role',
      );
    });
  });

  describe("secrets and other users' private data", () => {
    type Who = 'a' | 'b' | 'anonymous';
    interface Call {
      auth?: { Authorization: string };
      cookie?: string;
      body?: object;
    }

    it("no response holds a password hash, a refresh token hash, or another user's email or birth date", async () => {
      const responses: { who: Who; method: string; path: string; res: Response }[] = [];
      async function call(
        who: Who,
        expected: number,
        method: 'get' | 'post' | 'patch',
        path: string,
        { auth, cookie, body }: Call = {},
      ): Promise<Response> {
        let req = t.http[method](path);
        if (auth) req = req.set(auth);
        if (cookie) req = req.set('Cookie', cookie);
        const res = await (body ? req.send(body) : req);
        expect({ who, method, path, status: res.status }).toEqual({
          who,
          method,
          path,
          status: expected,
        });
        responses.push({ who, method, path, res });
        return res;
      }
      const aPrivate = { email: `alpha-${randomUUID()}@example.com`, birthDate: '1961-08-04' };
      const bPrivate = { email: `bravo-${randomUUID()}@example.com`, birthDate: '1977-12-30' };
      const a = await signUp(t, { ...aPrivate, password: 'alpha password 1' });
      const invite = await call('a', 201, 'post', '/api/v1/invites', { auth: a.auth });
      const code = (invite.body as { code: string }).code;
      await call('anonymous', 200, 'get', `/api/v1/invites/${code}/check`);
      const bSignup = await call('b', 201, 'post', '/api/v1/auth/signup', {
        body: { ...bPrivate, password: 'bravo password 2', displayName: 'Bravo', inviteCode: code },
      });
      const bId = (bSignup.body as { user: { id: string } }).user.id;
      const bAuth = {
        Authorization: `Bearer ${(bSignup.body as { accessToken: string }).accessToken}`,
      };
      const credentials = { email: aPrivate.email, password: 'alpha password 1' };
      const aLogin = await call('a', 200, 'post', '/api/v1/auth/login', { body: credentials });
      const stolen = refreshCookieFrom(aLogin.headers['set-cookie']);
      await call('a', 200, 'post', '/api/v1/auth/refresh', { cookie: stolen });
      await call('b', 401, 'post', '/api/v1/auth/refresh', { cookie: stolen });
      await call('b', 200, 'post', '/api/v1/auth/refresh', {
        cookie: refreshCookieFrom(bSignup.headers['set-cookie']),
      });
      const reads = [
        '/api/v1/auth/me',
        '/api/v1/tokens',
        '/api/v1/tokens/ledger',
        '/api/v1/invites',
      ];
      for (const path of [...reads, `/api/v1/users/${bId}`]) {
        await call('a', 200, 'get', path, { auth: a.auth });
      }
      for (const path of [...reads, `/api/v1/users/${a.id}`]) {
        await call('b', 200, 'get', path, { auth: bAuth });
      }
      await call('a', 200, 'patch', PROFILE, { auth: a.auth, body: { bio: 'alpha bio' } });
      await call('b', 400, 'patch', PROFILE, { auth: bAuth, body: { displayName: 'x' } });
      await call('b', 401, 'post', '/api/v1/auth/login', {
        body: { ...credentials, password: 'guess' },
      });
      await call('b', 400, 'post', '/api/v1/auth/login', { body: { ...credentials, extra: 1 } });
      const freshCode = await inviteCode(t, 1);
      await call('b', 409, 'post', '/api/v1/auth/signup', {
        body: {
          ...aPrivate,
          password: 'bravo password 2',
          displayName: 'Copy',
          inviteCode: freshCode,
        },
      });
      await call('anonymous', 401, 'get', `/api/v1/users/${a.id}`);
      await call('a', 204, 'post', '/api/v1/auth/password', {
        auth: a.auth,
        body: { currentPassword: 'alpha password 1', newPassword: 'alpha password 3' },
      });
      await call('a', 400, 'post', '/api/v1/auth/password', {
        auth: a.auth,
        body: { currentPassword: 'wrong', newPassword: 'alpha password 4' },
      });
      await call('a', 204, 'post', '/api/v1/auth/logout', { auth: a.auth });
      await call('b', 204, 'post', '/api/v1/auth/logout-all', { auth: bAuth });

      const invites = responses.find(
        ({ who, method, path }) => who === 'a' && method === 'get' && path === '/api/v1/invites',
      );
      expect(invites?.res.text).toContain(bId);
      const users = t.app.get(UsersService);
      const passwordHashes = await Promise.all(
        [a.id, bId].map(async (id) => (await users.findById(id))?.passwordHash ?? '$2'),
      );
      const sessions = await t.app
        .get<Connection>(getConnectionToken())
        .collection<{ refreshHash: string; rotatedHashes: string[] }>('sessions')
        .find({ userId: { $in: [a.id, bId].map((id) => new Types.ObjectId(id)) } })
        .toArray();
      const storedHashes = sessions.flatMap((s) => [s.refreshHash, ...s.rotatedHashes]);
      expect(storedHashes.length).toBe(5);
      const cookieHashes = responses
        .flatMap(({ res }) => (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [])
        .map((line) => /^refresh_token=([^;]+)/.exec(line)?.[1])
        .filter((token): token is string => token !== undefined)
        .map((token) => createHash('sha256').update(token).digest('hex'));
      const secrets = [...passwordHashes, ...storedHashes, ...cookieHashes, 'alpha password'];
      const privateOf = { a: Object.values(aPrivate), b: Object.values(bPrivate) };
      for (const { who, res } of responses) {
        const text = `${res.text}\n${JSON.stringify(res.headers)}`.toLowerCase();
        expect(text).not.toMatch(/\$2[aby]?\$/);
        for (const secret of secrets) expect(text).not.toContain(secret.toLowerCase());
        const others =
          who === 'a' ? privateOf.b : who === 'b' ? privateOf.a : [...privateOf.a, ...privateOf.b];
        for (const value of others) expect(text).not.toContain(value);
      }
    });
  });
});
