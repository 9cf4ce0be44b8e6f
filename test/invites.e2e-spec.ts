import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@app/common';
import { InvitesService } from '@app/invites';
import { UsersService } from '@app/users';
import {
  AVATAR_URL,
  createTestApp,
  inviteCode,
  refreshSession,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

const DAY_MS = 86_400_000;
const SYMBOL = '[ABCDEFGHJKMNPQRSTVWXYZ23456789]';
const CODE = new RegExp(`^${SYMBOL}{4}-${SYMBOL}{4}-${SYMBOL}{4}$`);
const BOOTSTRAP_LINE = new RegExp(
  `^No admin account yet\\. Bootstrap admin invite: (${SYMBOL}{4}-${SYMBOL}{4}-${SYMBOL}{4}) \\(sign up with it to become the admin\\)$`,
);

interface InviteItem {
  id: string;
  code: string;
  status: string;
  maxUses: number;
  uses: number;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  invitees: { user: Record<string, unknown>; usedAt: string }[];
}

interface InvitePage {
  items: InviteItem[];
  nextCursor: string | null;
}

function signupBody(inviteCode: string): Record<string, string> {
  return {
    email: `invitee-${randomUUID()}@example.com`,
    password: 'correct horse battery',
    displayName: 'Invitee',
    birthDate: '1992-03-04',
    inviteCode,
  };
}

async function createCode(t: TestApp, session: TestSession): Promise<string> {
  const res = await t.http.post('/api/v1/invites').set(session.auth);
  expect(res.status).toBe(201);
  return (res.body as { code: string }).code;
}

async function listInvites(t: TestApp, session: TestSession, query = ''): Promise<InvitePage> {
  const res = await t.http.get(`/api/v1/invites${query}`).set(session.auth);
  expect(res.status).toBe(200);
  return res.body as InvitePage;
}

async function isValid(t: TestApp, code: string): Promise<boolean> {
  const res = await t.http.get(`/api/v1/invites/${encodeURIComponent(code)}/check`);
  expect(res.status).toBe(200);
  expect(Object.keys(res.body as object)).toEqual(['valid']);
  return (res.body as { valid: boolean }).valid;
}

function bootstrapCodes(t: TestApp): string[] {
  return t.logs
    .lines()
    .filter((line) => line.context === 'Invites' && line.level === 40)
    .map((line) => BOOTSTRAP_LINE.exec(String(line.msg))?.[1] ?? `unexpected: ${line.msg}`);
}

describe('invites', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { INVITE_CHECK_RATE_PER_MINUTE: '100000' } });
  });

  afterEach(() => {
    t.clock.reset();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('POST /invites creates a single-use code like XXXX-XXXX-XXXX, valid INVITE_TTL_DAYS', async () => {
    const user = await signUp(t);
    const before = t.clock.now().getTime();
    const res = await t.http.post('/api/v1/invites').set(user.auth);
    const after = t.clock.now().getTime();
    expect(res.status).toBe(201);
    const body = res.body as { code: string; expiresAt: string };
    expect(Object.keys(body).sort()).toEqual(['code', 'expiresAt']);
    expect(body.code).toMatch(CODE);
    const ttl = t.config.get('INVITE_TTL_DAYS') * DAY_MS;
    const expiresAt = new Date(body.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + ttl);
    expect(expiresAt).toBeLessThanOrEqual(after + ttl);
    const page = await listInvites(t, user);
    expect(page).toEqual({
      items: [
        {
          id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
          code: body.code,
          status: 'active',
          maxUses: 1,
          uses: 0,
          expiresAt: body.expiresAt,
          revokedAt: null,
          createdAt: expect.any(String) as unknown,
          invitees: [],
        },
      ],
      nextCursor: null,
    });
    expect(await isValid(t, body.code)).toBe(true);
  });

  it('refuses any field in the POST /invites body: users cannot choose uses or expiry', async () => {
    const user = await signUp(t);
    const res = await t.http.post('/api/v1/invites').set(user.auth).send({ maxUses: 100 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [{ field: 'maxUses', message: 'is not an allowed field' }],
    });
    expect((await listInvites(t, user)).items).toEqual([]);
  });

  it('answers 401 UNAUTHORIZED to the signed-in routes without an access token', async () => {
    const code = await createCode(t, await signUp(t));
    const answers = await Promise.all([
      t.http.post('/api/v1/invites'),
      t.http.get('/api/v1/invites'),
      t.http.delete(`/api/v1/invites/${code}`),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED' });
    }
    expect(await isValid(t, code)).toBe(true);
  });

  it('lets a user hold INVITES_ACTIVE_MAX active codes; one more answers 409 CONFLICT', async () => {
    const user = await signUp(t);
    const max = t.config.get('INVITES_ACTIVE_MAX');
    for (let i = 0; i < max; i++) await createCode(t, user);
    const res = await t.http.post('/api/v1/invites').set(user.auth);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'CONFLICT',
      message: `You already hold ${max} active invite codes: wait until one is used or expires, or revoke one`,
      details: [],
      requestId: res.headers['x-request-id'],
    });
    expect((await listInvites(t, user)).items).toHaveLength(max);
  });

  it('keeps the quota under 20 parallel POSTs by one user: exactly INVITES_ACTIVE_MAX are created', async () => {
    const user = await signUp(t);
    const max = t.config.get('INVITES_ACTIVE_MAX');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post('/api/v1/invites').set(user.auth)),
    );
    const created = answers.filter((res) => res.status === 201);
    expect(created).toHaveLength(max);
    expect(answers.filter((res) => res.status === 409)).toHaveLength(20 - max);
    const codes = created.map((res) => (res.body as { code: string }).code);
    expect(new Set(codes).size).toBe(max);
    const listed = (await listInvites(t, user)).items;
    expect(listed.map((invite) => invite.code).sort()).toEqual([...codes].sort());
    expect(listed.every((invite) => invite.status === 'active')).toBe(true);
  });

  it('frees a quota place when a code is revoked, used or expires', async () => {
    const user = await signUp(t);
    const max = t.config.get('INVITES_ACTIVE_MAX');
    const codes: string[] = [];
    for (let i = 0; i < max; i++) codes.push(await createCode(t, user));
    expect((await t.http.post('/api/v1/invites').set(user.auth)).status).toBe(409);

    expect((await t.http.delete(`/api/v1/invites/${codes[0]}`).set(user.auth)).status).toBe(204);
    codes.push(await createCode(t, user));
    expect((await t.http.post('/api/v1/invites').set(user.auth)).status).toBe(409);

    expect((await t.http.post('/api/v1/auth/signup').send(signupBody(codes[1]))).status).toBe(201);
    codes.push(await createCode(t, user));
    expect((await t.http.post('/api/v1/invites').set(user.auth)).status).toBe(409);

    t.clock.advance(t.config.get('INVITE_TTL_DAYS') * DAY_MS);
    const { auth } = await refreshSession(user);
    const fresh = await Promise.all(
      Array.from({ length: max + 3 }, () => t.http.post('/api/v1/invites').set(auth)),
    );
    expect(fresh.filter((res) => res.status === 201)).toHaveLength(max);
    expect(fresh.filter((res) => res.status === 409)).toHaveLength(3);
  });

  it('does not count an admin multi-use code against the quota', async () => {
    const admin = await signUpAdmin(t);
    await t.app.get(InvitesService).createMultiUse(admin.id, {
      maxUses: 50,
      expiresAt: new Date(t.clock.now().getTime() + DAY_MS),
    });
    const max = t.config.get('INVITES_ACTIVE_MAX');
    for (let i = 0; i < max; i++) await createCode(t, admin);
    const page = await listInvites(t, admin);
    expect(page.items.map((invite) => invite.maxUses)).toEqual([...Array<number>(max).fill(1), 50]);
  });

  it('of 20 parallel signups with one single-use code, exactly one creates an account, invited by its creator', async () => {
    const inviter = await signUp(t);
    const code = await createCode(t, inviter);
    const bodies = Array.from({ length: 20 }, () => signupBody(code));
    const answers = await Promise.all(
      bodies.map((body) => t.http.post('/api/v1/auth/signup').send(body)),
    );
    const winners = answers.filter((res) => res.status === 201);
    expect(winners).toHaveLength(1);
    for (const res of answers.filter((answer) => answer.status !== 201)) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'INVITE_INVALID' });
    }
    const winnerId = (winners[0].body as { user: { id: string } }).user.id;
    const users = t.app.get(UsersService);
    expect((await users.getById(winnerId)).invitedBy).toBe(inviter.id);
    const losers = bodies.filter((_, i) => answers[i].status !== 201);
    for (const body of losers) expect(await users.findByEmail(body.email)).toBeNull();
    const [listed] = (await listInvites(t, inviter)).items;
    expect(listed).toMatchObject({ code, status: 'used', uses: 1 });
    expect(listed.invitees.map((invitee) => invitee.user.id)).toEqual([winnerId]);
    expect(await isValid(t, code)).toBe(false);
  });

  it('takes exactly maxUses of 20 parallel consumes, single-use or multi-use', async () => {
    const invites = t.app.get(InvitesService);
    for (const maxUses of [1, 3]) {
      const { code } = await invites.createMultiUse(null, {
        maxUses,
        expiresAt: new Date(t.clock.now().getTime() + DAY_MS),
      });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => invites.consume(code)),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(maxUses);
      for (const result of results) {
        if (result.status === 'rejected') {
          expect(result.reason).toBeInstanceOf(DomainError);
          expect(result.reason).toMatchObject({ code: 'INVITE_INVALID' });
        }
      }
    }
  });

  it('gives the use back when the signup fails after consume (release)', async () => {
    const inviter = await signUp(t);
    const code = await createCode(t, inviter);
    const invites = t.app.get(InvitesService);
    const consumed = await invites.consume(code.toLowerCase());
    expect(consumed).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      code,
      createdBy: inviter.id,
      grantsAdmin: false,
    });
    expect(await isValid(t, code)).toBe(false);
    await invites.release(consumed);
    expect(await isValid(t, code)).toBe(true);
    expect((await listInvites(t, inviter)).items[0]).toMatchObject({ status: 'active', uses: 0 });
    expect((await t.http.post('/api/v1/auth/signup').send(signupBody(code))).status).toBe(201);
  });

  it('lists the caller’s codes newest first with active, used, revoked and expired statuses', async () => {
    let user = await signUp(t);
    const start = t.clock.now().getTime();
    const expired = await createCode(t, user);
    t.clock.advance(10 * DAY_MS);
    user = await refreshSession(user);
    const active = await createCode(t, user);
    const used = await createCode(t, user);
    const revoked = await createCode(t, user);
    const invitee = await signUp(t, { inviteCode: used, displayName: 'Grace' });
    expect((await t.http.delete(`/api/v1/invites/${revoked}`).set(user.auth)).status).toBe(204);
    t.clock.advance(5 * DAY_MS);
    user = await refreshSession(user);

    const res = await t.http.get('/api/v1/invites').set(user.auth);
    expect(res.status).toBe(200);
    const page = res.body as InvitePage;
    expect(page.nextCursor).toBeNull();
    expect(page.items.map(({ code, status }) => ({ code, status }))).toEqual([
      { code: revoked, status: 'revoked' },
      { code: used, status: 'used' },
      { code: active, status: 'active' },
      { code: expired, status: 'expired' },
    ]);
    const [revokedItem, usedItem, activeItem, expiredItem] = page.items;
    expect(new Date(expiredItem.createdAt).getTime()).toBeGreaterThanOrEqual(start);
    expect(new Date(activeItem.createdAt).getTime()).toBeGreaterThanOrEqual(start + 10 * DAY_MS);
    expect(revokedItem.revokedAt).not.toBeNull();
    expect(usedItem.invitees).toEqual([
      {
        user: {
          id: invitee.id,
          displayName: 'Grace',
          avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
          bio: '',
        },
        usedAt: expect.any(String) as unknown,
      },
    ]);
    expect(activeItem.invitees).toEqual([]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(invitee.email);
    expect(text).not.toContain(invitee.birthDate);
    expect(text).not.toMatch(/"(email|birthDate|passwordHash|usedBy|slot)"/);

    const first = await listInvites(t, user, '?limit=3');
    expect(first.items.map((item) => item.code)).toEqual([revoked, used, active]);
    expect(first.nextCursor).toBe(activeItem.id);
    const second = await listInvites(t, user, `?limit=3&cursor=${String(first.nextCursor)}`);
    expect(second).toEqual({ items: [expiredItem], nextCursor: null });
  });

  it('shows a user only their own codes', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const aliceCode = await createCode(t, alice);
    const bobCode = await createCode(t, bob);
    expect((await listInvites(t, alice)).items.map((item) => item.code)).toEqual([aliceCode]);
    expect((await listInvites(t, bob)).items.map((item) => item.code)).toEqual([bobCode]);
  });

  it('DELETE /invites/:code revokes an unused code of the caller: 204, then unusable', async () => {
    const user = await signUp(t);
    const code = await createCode(t, user);
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ')} `;
    const res = await t.http.delete(`/api/v1/invites/${encodeURIComponent(typed)}`).set(user.auth);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await isValid(t, code)).toBe(false);
    const signup = await t.http.post('/api/v1/auth/signup').send(signupBody(code));
    expect(signup.status).toBe(400);
    expect(signup.body).toMatchObject({ error: 'INVITE_INVALID' });
    expect((await t.http.delete(`/api/v1/invites/${code}`).set(user.auth)).status).toBe(204);
    expect((await listInvites(t, user)).items[0]).toMatchObject({ code, status: 'revoked' });
  });

  it('DELETE /invites/:code answers 404 for another user’s or an unknown code, 409 for a used one', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const code = await createCode(t, owner);
    const notMine = await t.http.delete(`/api/v1/invites/${code}`).set(other.auth);
    expect(notMine.status).toBe(404);
    expect(notMine.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND', details: [] });
    expect(await isValid(t, code)).toBe(true);

    const unknown = await t.http.delete('/api/v1/invites/AAAA-BBBB-CCCC').set(owner.auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'NOT_FOUND' });

    await signUp(t, { inviteCode: code });
    const used = await t.http.delete(`/api/v1/invites/${code}`).set(owner.auth);
    expect(used.status).toBe(409);
    expect(used.body).toMatchObject({
      statusCode: 409,
      error: 'CONFLICT',
      message: 'This invite code has already been used',
    });
    expect((await listInvites(t, owner)).items[0]).toMatchObject({ code, status: 'used' });
  });

  it('GET /invites/:code/check needs no sign-in and answers only {valid}', async () => {
    const user = await signUp(t);
    const code = await createCode(t, user);
    expect(await isValid(t, code)).toBe(true);
    expect(await isValid(t, code.toLowerCase().replace(/-/g, ''))).toBe(true);
    expect(await isValid(t, 'AAAA-BBBB-CCCC')).toBe(false);

    const revoked = await createCode(t, user);
    await t.http.delete(`/api/v1/invites/${revoked}`).set(user.auth);
    expect(await isValid(t, revoked)).toBe(false);

    const used = await createCode(t, user);
    await signUp(t, { inviteCode: used });
    expect(await isValid(t, used)).toBe(false);

    t.clock.advance(t.config.get('INVITE_TTL_DAYS') * DAY_MS - 1000);
    expect(await isValid(t, code)).toBe(true);
    t.clock.advance(1000);
    expect(await isValid(t, code)).toBe(false);
    const late = await t.http.post('/api/v1/auth/signup').send(signupBody(code));
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ error: 'INVITE_INVALID' });
  });

  it('answers a malformed code or query with 400 VALIDATION_FAILED, never 500', async () => {
    const user = await signUp(t);
    const malformed = ['abc', 'AAAA-BBBB-CCC0', 'AAAA-BBBB-CCCC-D', '%24ne', 'x'.repeat(300)];
    for (const code of malformed) {
      for (const res of [
        await t.http.get(`/api/v1/invites/${code}/check`),
        await t.http.delete(`/api/v1/invites/${code}`).set(user.auth),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          error: 'VALIDATION_FAILED',
          details: [
            {
              field: 'code',
              message: 'must be an invite code of 12 letters and digits, like ABCD-EFGH-JKMN',
            },
          ],
        });
      }
    }
    for (const query of ['?limit=0', '?limit=101', '?cursor=nope', '?status=active']) {
      const res = await t.http.get(`/api/v1/invites${query}`).set(user.auth);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED' });
    }
    const signup = await t.http.post('/api/v1/auth/signup').send(signupBody('not a code'));
    expect(signup.status).toBe(400);
    expect(signup.body).toMatchObject({ error: 'INVITE_INVALID' });
  });

  it('documents the invite routes, their bodies and errors in OpenAPI', async () => {
    const res = await t.http.get('/docs-json');
    const doc = res.body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const paths = doc.paths;
    expect(Object.keys(paths['/api/v1/invites'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '409']),
    );
    expect(Object.keys(paths['/api/v1/invites'].get.responses)).toEqual(
      expect.arrayContaining(['200', '401']),
    );
    expect(Object.keys(paths['/api/v1/invites/{code}'].delete.responses)).toEqual(
      expect.arrayContaining(['204', '400', '404', '409']),
    );
    expect(Object.keys(paths['/api/v1/invites/{code}/check'].get.responses)).toEqual(
      expect.arrayContaining(['200', '400', '429']),
    );
    expect(Object.keys(doc.components.schemas.InviteItemDto.properties)).toEqual(
      expect.arrayContaining(['code', 'status', 'expiresAt', 'createdAt', 'invitees']),
    );
  });
});

describe('invite check rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { INVITE_CHECK_RATE_PER_MINUTE: '3' } });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('answers 429 RATE_LIMITED with Retry-After past INVITE_CHECK_RATE_PER_MINUTE per address', async () => {
    const code = await inviteCode(t);
    for (let i = 0; i < 3; i++) expect(await isValid(t, code)).toBe(true);
    const res = await t.http.get(`/api/v1/invites/${code}/check`);
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'RATE_LIMITED', details: [] });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});

describe('bootstrap admin invite', () => {
  let dataDir: string;
  const apps: TestApp[] = [];

  async function start(dataFile: string): Promise<TestApp> {
    const t = await createTestApp({
      env: {
        MONGO_URL: undefined,
        EMBEDDED_MONGO_DATA: dataFile,
        LOG_LEVEL: 'warn',
      },
    });
    apps.push(t);
    return t;
  }

  async function stop(t: TestApp): Promise<void> {
    apps.splice(apps.indexOf(t), 1);
    await t.close();
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dobkonektor-invites-'));
  });

  afterAll(async () => {
    await closeAll(...apps);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is logged once at warn level, reused across restarts, and makes its user the admin', async () => {
    const dataFile = join(dataDir, 'restart.bson');
    let t = await start(dataFile);
    const [code] = bootstrapCodes(t);
    expect(bootstrapCodes(t)).toEqual([code]);
    expect(code).toMatch(CODE);
    expect(await isValid(t, code)).toBe(true);
    await stop(t);

    t = await start(dataFile);
    expect(bootstrapCodes(t)).toEqual([code]);
    const res = await t.http.post('/api/v1/auth/signup').send(signupBody(code.toLowerCase()));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: { role: 'admin' } });
    const adminId = (res.body as { user: { id: string } }).user.id;
    expect((await t.app.get(UsersService).getById(adminId)).invitedBy).toBeNull();
    expect(await isValid(t, code)).toBe(false);
    await stop(t);

    t = await start(dataFile);
    expect(bootstrapCodes(t)).toEqual([]);
    expect(await t.app.get(InvitesService).ensureBootstrapInvite()).toBeNull();
  });

  it('is replaced once expired, and stops working once an admin exists', async () => {
    const t = await start(join(dataDir, 'expiry.bson'));
    const invites = t.app.get(InvitesService);
    const [first] = bootstrapCodes(t);
    expect(await invites.ensureBootstrapInvite()).toBe(first);

    t.clock.advance(t.config.get('INVITE_TTL_DAYS') * DAY_MS);
    const second = await invites.ensureBootstrapInvite();
    expect(second).toMatch(CODE);
    expect(second).not.toBe(first);
    expect(await isValid(t, first)).toBe(false);
    expect(await isValid(t, String(second))).toBe(true);

    await signUpAdmin(t);
    expect(await isValid(t, String(second))).toBe(false);
    const res = await t.http.post('/api/v1/auth/signup').send(signupBody(String(second)));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'INVITE_INVALID' });
    expect(await invites.ensureBootstrapInvite()).toBeNull();
  });
});
