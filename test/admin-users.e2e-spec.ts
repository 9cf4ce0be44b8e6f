import { randomBytes, randomUUID } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import { type Connection, Types } from 'mongoose';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { Presence } from '@app/rooms';
import { UsersService } from '@app/users';
import {
  createTestApp,
  expectError,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import {
  connectSocket,
  disconnection,
  nextEvent,
  record,
  send,
  socketsClosable,
  type TestSocket,
} from './support/sockets';
import { closeAll } from './support/teardown';

interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  birthDate: string;
  role: string;
  banned: boolean;
  createdAt: string;
}

interface LedgerEntry {
  id: string;
  delta: number;
  reason: string;
  balanceAfter: number;
  ref: string | null;
}

interface Detail extends AdminUser {
  rooms: string[];
  balance: number;
  ledger: LedgerEntry[];
  invitedBy: AdminUser | null;
  invites: { code: string; uses: number; invitees: { user: { id: string } }[] }[];
  invitees: AdminUser[];
}

interface AuditEntry {
  actorId: string;
  action: string;
  target: { type: string; id: string | null };
  details: Record<string, unknown>;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const USERS = '/api/v1/admin/users';
const ID = '0123456789abcdef01234567';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A fresh lower-case tag, so that each test's searches see only its own users. */
function tag(): string {
  return `q${randomBytes(4).toString('hex')}`;
}

describe('admin: users', () => {
  let t: TestApp;
  let admin: TestSession;
  let user: TestSession;
  const sockets: TestSocket[] = [];

  const open = async (session: TestSession): Promise<TestSocket> => {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp();
    [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  async function search(query: string, extra = ''): Promise<Page<AdminUser>> {
    const res = await t.http
      .get(`${USERS}?query=${encodeURIComponent(query)}${extra}`)
      .set(admin.auth);
    expect(res.status).toBe(200);
    return res.body as Page<AdminUser>;
  }

  async function detail(id: string): Promise<Detail> {
    const res = await t.http.get(`${USERS}/${id}`).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body as Detail;
  }

  async function auditOf(targetId: string, action: string): Promise<AuditEntry[]> {
    const res = await t.http.get(`/api/v1/admin/audit?limit=100&action=${action}`).set(admin.auth);
    expect(res.status).toBe(200);
    return (res.body as Page<AuditEntry>).items.filter((entry) => entry.target.id === targetId);
  }

  describe('access', () => {
    it('answers 403 FORBIDDEN to a user and 401 without a token on every route', async () => {
      const routes: [method: 'get' | 'patch' | 'post', path: string, body?: object][] = [
        ['get', USERS],
        ['get', `${USERS}/${user.id}`],
        ['patch', `${USERS}/${user.id}`, { role: 'admin' }],
        ['post', `${USERS}/${user.id}/tokens`, { amount: 10, reason: 'why' }],
      ];
      for (const [method, path, body] of routes) {
        expectError(
          await t.http[method](path).set(user.auth).send(body),
          403,
          'FORBIDDEN',
          'This needs the admin role',
        );
        expectError(
          await t.http[method](path).send(body),
          401,
          'UNAUTHORIZED',
          'A valid access token is required',
        );
      }
      expect((await detail(user.id)).role).toBe('user');
    });
  });

  describe('GET /admin/users', () => {
    it('finds users by email prefix and by display-name prefix, ignoring case', async () => {
      const q = tag();
      const ann = await signUp(t, { email: `${q}-Ann@Example.com`, displayName: 'Plain Ann' });
      const bob = await signUp(t, { displayName: `${q.toUpperCase()} Bob` });
      const byEmail = await search(`${q}-ANN`);
      expect(byEmail).toEqual({
        items: [
          {
            id: ann.id,
            email: `${q}-ann@example.com`,
            displayName: 'Plain Ann',
            birthDate: ann.birthDate,
            role: 'user',
            banned: false,
            createdAt: expect.stringMatching(ISO) as string,
          },
        ],
        nextCursor: null,
      });
      expect((await search(`${q} b`)).items.map((u) => u.id)).toEqual([bob.id]);
      expect((await search(q.toUpperCase())).items.map((u) => u.id)).toEqual([bob.id, ann.id]);
      expect((await search(`${q}x`)).items).toEqual([]);
      expect((await search('plain ann')).items.map((u) => u.id)).toContain(ann.id);
    });

    it('matches regex metacharacters literally, and folds fullwidth letters', async () => {
      const q = tag();
      const star = await signUp(t, { displayName: `${q}.*(x` });
      const plain = await signUp(t, { displayName: `${q}abc` });
      expect((await search(`${q}.*`)).items.map((u) => u.id)).toEqual([star.id]);
      expect((await search(`${q}.*(`)).items.map((u) => u.id)).toEqual([star.id]);
      expect((await search(`${q}.`)).items.map((u) => u.id)).toEqual([star.id]);
      expect((await search(`${q}[a-z]`)).items).toEqual([]);
      expect((await search(`${q}^`)).items).toEqual([]);
      const fullwidth = `${q}ＡＢ`;
      expect((await search(fullwidth)).items.map((u) => u.id)).toEqual([plain.id]);
    });

    it('pages newest first with a cursor', async () => {
      const q = tag();
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push((await signUp(t, { displayName: `${q} ${i}` })).id);
      const first = await search(q, '&limit=2');
      expect(first.items.map((u) => u.id)).toEqual([made[2], made[1]]);
      expect(first.nextCursor).toBe(made[1]);
      const second = await search(q, `&limit=2&cursor=${first.nextCursor ?? ''}`);
      expect(second).toEqual({
        items: [expect.objectContaining({ id: made[0] })],
        nextCursor: null,
      });
    });

    it('lists every user without a query, and refuses a bad cursor or an operator', async () => {
      const all = await t.http.get(`${USERS}?limit=100`).set(admin.auth);
      expect(all.status).toBe(200);
      expect((all.body as Page<AdminUser>).items.map((u) => u.id)).toEqual(
        expect.arrayContaining([admin.id, user.id]),
      );
      expect((await t.http.get(`${USERS}?cursor=nope`).set(admin.auth)).status).toBe(400);
      expect((await t.http.get(`${USERS}?query[$gt]=`).set(admin.auth)).status).toBe(400);
    });

    it('reads the display-name key through its index', async () => {
      const q = tag();
      await signUp(t, { displayName: `${q} Indexed` });
      const users = t.app.get<Connection>(getConnectionToken()).collection('users');
      const plan = (await users
        .find({ displayNameKey: { $gte: q, $lt: `${q}~` } })
        .explain('executionStats')) as {
        queryPlanner: { winningPlan: object };
        executionStats: { nReturned: number; totalDocsExamined: number };
      };
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('displayNameKey_1');
      expect(plan.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
    });
  });

  describe('GET /admin/users/:id', () => {
    it('shows balance, the ledger, invites, the inviter and the invitees', async () => {
      const inviter = await signUp(t);
      const created = await inviter.agent.post('/api/v1/invites').send();
      expect(created.status).toBe(201);
      const { code } = created.body as { code: string };
      const invitee = await signUp(t, { inviteCode: code });

      const body = await detail(inviter.id);
      expect(body).toMatchObject({
        id: inviter.id,
        email: inviter.email,
        rooms: ['day-1990-05-17', 'date-05-17', 'year-1990'],
        balance: 100,
        ledger: [{ delta: 100, reason: 'signup', balanceAfter: 100 }],
        invitedBy: null,
        invites: [{ code, uses: 1, invitees: [{ user: { id: invitee.id } }] }],
        invitees: [expect.objectContaining({ id: invitee.id, email: invitee.email })],
      });
      expect(await detail(invitee.id)).toMatchObject({
        invitedBy: { id: inviter.id, email: inviter.email },
        invites: [],
        invitees: [],
      });
    });

    it('answers 404 for an unknown user and 400 for a malformed id', async () => {
      expectError(
        await t.http.get(`${USERS}/${ID}`).set(admin.auth),
        404,
        'NOT_FOUND',
        'No such user',
      );
      expect((await t.http.get(`${USERS}/nope`).set(admin.auth)).status).toBe(400);
    });
  });

  describe('PATCH /admin/users/:id', () => {
    it('bans: the next request is 403 ACCOUNT_BANNED and the sockets go within a second', async () => {
      const target = await signUp(t);
      const [first, second] = [await open(target), await open(target)];
      const gone = Promise.all([disconnection(first), disconnection(second)]);
      const started = Date.now();
      const res = await t.http
        .patch(`${USERS}/${target.id}`)
        .set(admin.auth)
        .send({ banned: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: target.id, banned: true, role: 'user' });
      expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
      expect(Date.now() - started).toBeLessThan(1000);
      expectError(
        await target.agent.get('/api/v1/auth/me'),
        403,
        'ACCOUNT_BANNED',
        'This account is banned',
      );
      const [entry] = await auditOf(target.id, 'user.update');
      expect(entry).toMatchObject({
        actorId: admin.id,
        target: { type: 'user', id: target.id },
        details: {
          before: { role: 'user', banned: false, birthDate: target.birthDate },
          after: { role: 'user', banned: true, birthDate: target.birthDate },
        },
      });
      const unban = await t.http
        .patch(`${USERS}/${target.id}`)
        .set(admin.auth)
        .send({ banned: false });
      expect(unban.body).toMatchObject({ banned: false });
    });

    it('corrects a birth date: new rooms, and the old rooms no longer reach the sockets', async () => {
      const birth = '1971-03-09';
      const [moved, stays] = [
        await signUp(t, { birthDate: birth }),
        await signUp(t, { birthDate: birth }),
      ];
      const oldDay = `day-${birth}`;
      const [movedSocket, staysSocket] = [await open(moved), await open(stays)];
      for (const socket of [movedSocket, staysSocket]) {
        expect(await send(socket, 'room:join', { roomKey: oldDay })).toMatchObject({
          ok: true,
          online: expect.any(Number) as number,
        });
      }
      const alone = nextEvent(
        staysSocket,
        'presence:update',
        (u) => u.roomKey === oldDay && u.onlineCount === 1,
      );
      const res = await t.http
        .patch(`${USERS}/${moved.id}`)
        .set(admin.auth)
        .send({ birthDate: '1972-04-10' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ birthDate: '1972-04-10' });
      await alone;

      const rooms = await t.http.get('/api/v1/rooms').set(moved.auth);
      expect((rooms.body as { key: string }[]).map((room) => room.key)).toEqual([
        'day-1972-04-10',
        'date-04-10',
        'year-1972',
      ]);
      const heard = record(movedSocket, 'message:new');
      const delivered = nextEvent(staysSocket, 'message:new');
      expect(
        (await stays.agent.post(`/api/v1/rooms/${oldDay}/messages`).send({ text: 'hi' })).status,
      ).toBe(201);
      await delivered;
      // An ack after the broadcast: a message:new sent to this socket would have come first.
      expect(await send(movedSocket, 'room:join', { roomKey: 'day-1972-04-10' })).toMatchObject({
        ok: true,
      });
      expect(heard).toEqual([]);
      expect(await send(movedSocket, 'room:join', { roomKey: oldDay })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const [entry] = await auditOf(moved.id, 'user.update');
      expect(entry.details).toMatchObject({
        before: { birthDate: birth },
        after: { birthDate: '1972-04-10' },
        rooms: {
          before: [oldDay, 'date-03-09', 'year-1971'],
          after: ['day-1972-04-10', 'date-04-10', 'year-1972'],
        },
      });
    });

    it('promotes and demotes, and validates the body', async () => {
      const target = await signUp(t);
      const up = await t.http
        .patch(`${USERS}/${target.id}`)
        .set(admin.auth)
        .send({ role: 'admin' });
      expect(up.body).toMatchObject({ role: 'admin' });
      expect((await t.http.get(USERS).set(target.auth)).status).toBe(200);
      const down = await t.http
        .patch(`${USERS}/${target.id}`)
        .set(admin.auth)
        .send({ role: 'user' });
      expect(down.body).toMatchObject({ role: 'user' });
      expect((await t.http.get(USERS).set(target.auth)).status).toBe(403);
      for (const body of [
        {},
        { role: 'root' },
        { banned: 'yes' },
        { birthDate: '2001-02-29' },
        { email: 'x@y.z' },
      ]) {
        const res = await t.http.patch(`${USERS}/${target.id}`).set(admin.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expectError(
        await t.http.patch(`${USERS}/${ID}`).set(admin.auth).send({ banned: true }),
        404,
        'NOT_FOUND',
        'No such user',
      );
    });

    it('refuses an admin banning or demoting themself with 403', async () => {
      for (const body of [{ banned: true }, { role: 'user' }, { role: 'user', banned: true }]) {
        expectError(
          await t.http.patch(`${USERS}/${admin.id}`).set(admin.auth).send(body),
          403,
          'FORBIDDEN',
          'You cannot ban or demote yourself',
        );
      }
      expect(await detail(admin.id)).toMatchObject({ role: 'admin', banned: false });
      const same = await t.http
        .patch(`${USERS}/${admin.id}`)
        .set(admin.auth)
        .send({ role: 'admin' });
      expect(same.status).toBe(200);
    });
  });

  describe('POST /admin/users/:id/tokens', () => {
    it('adds and removes tokens with an admin ledger entry, never below zero', async () => {
      const target = await signUp(t);
      const add = await t.http
        .post(`${USERS}/${target.id}/tokens`)
        .set(admin.auth)
        .send({ amount: 50, reason: '  Outage refund ' });
      expect(add.status).toBe(201);
      expect(add.body).toMatchObject({
        balance: 150,
        entry: { delta: 50, reason: 'admin', balanceAfter: 150, ref: admin.id },
      });
      const remove = await t.http
        .post(`${USERS}/${target.id}/tokens`)
        .set(admin.auth)
        .send({ amount: -120, reason: 'Abuse' });
      expect(remove.body).toMatchObject({ balance: 30, entry: { delta: -120, reason: 'admin' } });
      expectError(
        await t.http
          .post(`${USERS}/${target.id}/tokens`)
          .set(admin.auth)
          .send({ amount: -31, reason: 'Too much' }),
        402,
        'INSUFFICIENT_TOKENS',
        'This costs 31 tokens; your balance is too low',
      );
      const body = await detail(target.id);
      expect(body.balance).toBe(30);
      expect(body.ledger.map((e) => [e.delta, e.reason, e.balanceAfter])).toEqual([
        [-120, 'admin', 30],
        [50, 'admin', 150],
        [100, 'signup', 100],
      ]);
      const audit = await auditOf(target.id, 'user.tokens');
      expect(audit.map((entry) => entry.details)).toEqual([
        expect.objectContaining({
          amount: -120,
          reason: 'Abuse',
          before: { balance: 150 },
          after: { balance: 30 },
        }),
        expect.objectContaining({
          amount: 50,
          reason: 'Outage refund',
          before: { balance: 100 },
          after: { balance: 150 },
        }),
      ]);
      expect(audit.every((entry) => entry.actorId === admin.id)).toBe(true);
    });

    it('refuses a zero, fractional or missing amount, a blank reason and an unknown user', async () => {
      for (const body of [
        { amount: 0, reason: 'x' },
        { amount: 1.5, reason: 'x' },
        { reason: 'x' },
        { amount: 5, reason: '   ' },
        { amount: 5 },
      ]) {
        const res = await t.http.post(`${USERS}/${user.id}/tokens`).set(admin.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expectError(
        await t.http.post(`${USERS}/${ID}/tokens`).set(admin.auth).send({ amount: 5, reason: 'x' }),
        404,
        'NOT_FOUND',
        'No such user',
      );
      expect((await detail(user.id)).balance).toBe(100);
    });
  });
});

describe('admin: users, the last admin', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function activeAdmins(): Promise<number> {
    const users = t.app.get<Connection>(getConnectionToken()).collection('users');
    return users.countDocuments({ role: 'admin', banned: false });
  }

  it('refuses to demote or ban the last admin with 409 CONFLICT', async () => {
    const only = await signUpAdmin(t);
    const users = t.app.get(UsersService);
    for (const change of [{ role: 'user' as const }, { banned: true }]) {
      await expect(users.updateByAdmin(only.id, change)).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    }
    expect(await activeAdmins()).toBe(1);
    await users.updateByAdmin(only.id, { banned: false });
  });

  it('keeps an admin when two admins demote or ban each other at once', async () => {
    const users = t.app.get<Connection>(getConnectionToken()).collection('users');
    for (const change of [{ role: 'user' }, { banned: true }, { role: 'user' }, { banned: true }]) {
      const [a, b] = await Promise.all([signUpAdmin(t), signUpAdmin(t)]);
      // These two are the only admins of the round.
      await users.updateMany(
        { _id: { $nin: [new Types.ObjectId(a.id), new Types.ObjectId(b.id)] } },
        { $set: { role: 'user' } },
      );
      expect(await activeAdmins()).toBe(2);
      const statuses = (
        await Promise.all([
          t.http.patch(`${USERS}/${b.id}`).set(a.auth).send(change),
          t.http.patch(`${USERS}/${a.id}`).set(b.auth).send(change),
        ])
      ).map((res) => res.status);
      const done = statuses.filter((status) => status === 200).length;
      expect({ change, statuses, ok: statuses.every((s) => [200, 403, 409].includes(s)) }).toEqual({
        change,
        statuses,
        ok: true,
      });
      expect(done).toBeLessThanOrEqual(1);
      expect(await activeAdmins()).toBe(2 - done);
    }
  });
});

describe('admin: users, across instances (Redis adapter and presence)', () => {
  let mongo: EmbeddedMongo | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  const sockets: TestSocket[] = [];

  const cluster = (): { a: TestApp; b: TestApp } => {
    if (a === undefined || b === undefined) throw new Error('the instances did not start');
    return { a, b };
  };

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    const env = {
      MONGO_URL: `${mongo.uri}admin-users-${randomUUID()}`,
      REDIS_URL: process.env.REDIS_URL as string,
      REDIS_KEY_PREFIX: `test-admin-users-${randomUUID()}:`,
      JWT_SECRET: 'admin-users-e2e-access-token-secret-of-32-characters',
    };
    a = await createTestApp({ env, sharedDatabase: true });
    b = await createTestApp({ env, sharedDatabase: true });
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), a, b);
    await mongo?.stop();
  });

  it('a birth-date correction on B takes the sockets on A out of the old rooms', async () => {
    const birth = '1973-08-08';
    const oldDay = `day-${birth}`;
    const admin = await signUpAdmin(cluster().a);
    const [moved, stays] = [
      await signUp(cluster().a, { birthDate: birth }),
      await signUp(cluster().a, { birthDate: birth }),
    ];
    const [movedOnA, staysOnB] = [
      await connectSocket(cluster().a.baseUrl, moved.accessToken),
      await connectSocket(cluster().b.baseUrl, stays.accessToken),
    ];
    sockets.push(movedOnA, staysOnB);
    expect(await send(movedOnA, 'room:join', { roomKey: oldDay })).toMatchObject({ ok: true });
    expect(await send(staysOnB, 'room:join', { roomKey: oldDay })).toMatchObject({
      ok: true,
      online: 2,
    });
    const alone = nextEvent(
      staysOnB,
      'presence:update',
      (update) => update.roomKey === oldDay && update.onlineCount === 1,
    );
    const res = await cluster()
      .b.http.patch(`${USERS}/${moved.id}`)
      .set(admin.auth)
      .send({ birthDate: '1974-09-09' });
    expect(res.status).toBe(200);
    await alone;
    expect(await cluster().a.app.get(Presence).counts([oldDay])).toEqual([1]);

    const heard = record(movedOnA, 'message:new');
    const delivered = nextEvent(staysOnB, 'message:new');
    const post = await stays.agent.post(`/api/v1/rooms/${oldDay}/messages`).send({ text: 'hi' });
    expect(post.status).toBe(201);
    await delivered;
    expect(await send(movedOnA, 'room:join', { roomKey: 'day-1974-09-09' })).toMatchObject({
      ok: true,
    });
    expect(heard).toEqual([]);
  });
});
