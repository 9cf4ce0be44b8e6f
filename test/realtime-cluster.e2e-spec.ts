import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { BirthdaySpotlight, Presence } from '@app/rooms';
import { createTestApp, signUp, type TestApp, type TestSession } from './support';
import {
  freePort,
  minimalEnv,
  type RunningProcess,
  spawnTypeScript,
} from './support/child-process';
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

const BIRTH = '1977-07-07';

interface ChildInstance {
  running: RunningProcess;
  workDir: string;
  url: string;
}
const DAY = `day-${BIRTH}`;
const JWT_SECRET = 'cluster-e2e-access-token-secret-of-32-characters-plus';

/**
 * Two instances of one deployment: one database, one Redis, one key prefix, one JWT secret, one
 * presence TTL.
 */
describe('realtime across instances (Redis adapter and presence)', () => {
  let mongo: EmbeddedMongo | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  const sockets: TestSocket[] = [];
  const redisUrl = process.env.REDIS_URL as string;
  const prefix = `test-cluster-${randomUUID()}:`;
  let mongoUrl = '';

  const env = (): Record<string, string> => ({
    MONGO_URL: mongoUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET,
    // Every instance of a deployment judges the others' heartbeats by the same TTL.
    PRESENCE_TTL_SECONDS: '2',
    // The tests run the scheduled jobs themselves, on moved clocks.
    SCHEDULER: 'off',
  });

  const cluster = (): { a: TestApp; b: TestApp } => {
    if (a === undefined || b === undefined) throw new Error('the instances did not start');
    return { a, b };
  };

  const open = async (t: TestApp, session: TestSession): Promise<TestSocket> => {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  };

  /** Another instance of the deployment, in a process of its own. */
  const startChild = async (): Promise<ChildInstance> => {
    const workDir = await mkdtemp(join(tmpdir(), 'dobkonektor-cluster-'));
    const port = await freePort();
    const running = spawnTypeScript('apps/api/src/main.ts', [], {
      cwd: workDir,
      env: minimalEnv({ ...env(), PORT: String(port) }),
    });
    const child = { running, workDir, url: `http://127.0.0.1:${port}` };
    try {
      await running.waitForOutput(/Listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
    } catch (error) {
      await stopChild(child, 'SIGKILL');
      throw error;
    }
    return child;
  };

  const stopChild = async (child: ChildInstance | undefined, signal: NodeJS.Signals) => {
    if (!child) return;
    const { exitCode, signalCode } = child.running.child;
    if (exitCode === null && signalCode === null) {
      child.running.child.kill(signal);
      await child.running.exited();
    }
    await rm(child.workDir, { recursive: true, force: true });
  };

  /** Both instances' clocks at `time`, then both run the birthday spotlight at once. */
  const announce = async (time: string): Promise<number[]> => {
    for (const instance of [cluster().a, cluster().b]) instance.clock.set(new Date(time));
    return Promise.all(
      [cluster().a, cluster().b].map((instance) =>
        instance.app.get(BirthdaySpotlight).announceToday(),
      ),
    );
  };

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    mongoUrl = `${mongo.uri}cluster-${randomUUID()}`;
    a = await createTestApp({ env: env(), sharedDatabase: true });
    b = await createTestApp({ env: env(), sharedDatabase: true });
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), a, b);
    await mongo?.stop();
  });

  it('a socket on A receives a message posted through REST on B, and presence agrees on both', async () => {
    const [x, y] = [
      await signUp(cluster().a, { birthDate: BIRTH }),
      await signUp(cluster().a, { birthDate: BIRTH }),
    ];
    const onA = await open(cluster().a, x);
    expect(await send(onA, 'room:join', { roomKey: DAY })).toMatchObject({ ok: true, online: 1 });
    const joinedSeenOnA = nextEvent(onA, 'presence:update', (p) => p.joined?.id === y.id);
    const onB = await open(cluster().b, y);
    expect(await send(onB, 'room:join', { roomKey: DAY })).toMatchObject({ ok: true, online: 2 });
    expect(await joinedSeenOnA).toMatchObject({ roomKey: DAY, onlineCount: 2 });
    expect(await cluster().a.app.get(Presence).counts([DAY])).toEqual([2]);
    expect(await cluster().b.app.get(Presence).counts([DAY])).toEqual([2]);

    const delivered = nextEvent(onA, 'message:new');
    const res = await y.agent.post(`/api/v1/rooms/${DAY}/messages`).send({ text: 'from B' });
    expect(res.status).toBe(201);
    expect(await delivered).toEqual({ message: res.body as object });
  });

  it('logout on B disconnects the session socket on A', async () => {
    const user = await signUp(cluster().a, { birthDate: BIRTH });
    const onA = await open(cluster().a, user);
    const gone = disconnection(onA);
    const res = await cluster().b.http.post('/api/v1/auth/logout').set(user.auth);
    expect(res.status).toBe(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('never gives a deleted newest message’s id again, even from an instance that did not post it', async () => {
    const birthDate = '1977-04-04';
    const room = `day-${birthDate}`;
    const user = await signUp(cluster().a, { birthDate });
    const post = async (instance: TestApp, text: string): Promise<string> => {
      const res = await instance.http
        .post(`/api/v1/rooms/${room}/messages`)
        .set(user.auth)
        .send({ text });
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    const kept = await post(cluster().a, 'kept');
    const newest = await post(cluster().a, 'deleted');
    const res = await cluster().a.http.delete(`/api/v1/messages/${newest}`).set(user.auth);
    expect(res.status).toBe(204);
    const next = await post(cluster().b, 'next');
    expect(newest > kept && next > newest).toBe(true);
  });

  it('never gives the number of a message removed by retention again, even on another instance', async () => {
    const birthDate = '1977-05-05';
    const room = `day-${birthDate}`;
    const user = await signUp(cluster().a, { birthDate });
    const posts = [];
    for (const text of ['one', 'two']) {
      const res = await cluster()
        .a.http.post(`/api/v1/rooms/${room}/messages`)
        .set(user.auth)
        .send({ text });
      expect(res.status).toBe(201);
      posts.push((res.body as { id: string }).id);
    }
    const db = cluster().a.app.get<Connection>(getConnectionToken()).db;
    if (!db) throw new Error('no database');
    // A recorded number survives its message: wait for A's batch, then do what the TTL monitor does.
    const deadline = Date.now() + 5_000;
    while (!(await db.collection('message_sequences').findOne({ _id: room as never, last: 2 }))) {
      if (Date.now() > deadline) throw new Error('the room’s highest number was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await db.collection('messages').deleteMany({ roomKey: room });
    const res = await cluster()
      .b.http.post(`/api/v1/rooms/${room}/messages`)
      .set(user.auth)
      .send({ text: 'after retention' });
    expect(res.status).toBe(201);
    expect((res.body as { id: string }).id > posts[1]).toBe(true);
  });

  it('announces birthdays once per UTC day and room across instances (birthday:today)', async () => {
    const birthDate = '1977-08-08';
    const dayKey = `day-${birthDate}`;
    const dateKey = 'date-08-08';
    const [x, y] = [
      await signUp(cluster().a, { birthDate }),
      await signUp(cluster().a, { birthDate }),
    ];
    const onA = await open(cluster().a, x);
    const onB = await open(cluster().b, y);
    expect(await send(onA, 'room:join', { roomKey: dayKey })).toMatchObject({ ok: true });
    expect(await send(onB, 'room:join', { roomKey: dateKey })).toMatchObject({ ok: true });
    const heard: string[] = [];
    onA.on('birthday:today', ({ roomKey, users }) => {
      heard.push(`A ${roomKey} ${users.map((u) => u.id).join(',')}`);
    });
    onB.on('birthday:today', ({ roomKey, users }) => {
      heard.push(`B ${roomKey} ${users.map((u) => u.id).join(',')}`);
    });
    try {
      const counts = await announce('2027-08-08T00:00:05Z');
      // One instance took the day; the other found it taken.
      expect(counts.filter((n) => n > 0)).toHaveLength(1);
      expect(counts).toContain(0);
      const deadline = Date.now() + 3_000;
      while (heard.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await announce('2027-08-08T23:59:00Z')).sort()).toEqual([0, 0]);
      // Later days do not announce this date.
      await announce('2027-08-09T00:00:05Z');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard.sort()).toEqual([`A ${dayKey} ${y.id},${x.id}`, `B ${dateKey} ${y.id},${x.id}`]);
    } finally {
      for (const instance of [cluster().a, cluster().b]) instance.clock.reset();
    }
  });

  it('takes over a spotlight day whose instance died before it was done, and leaves a live claim alone', async () => {
    const birthDate = '1977-09-09';
    const dayKey = `day-${birthDate}`;
    const user = await signUp(cluster().a, { birthDate });
    const socket = await open(cluster().b, user);
    expect(await send(socket, 'room:join', { roomKey: dayKey })).toMatchObject({ ok: true });
    const heard = record(socket, 'birthday:today');
    const db = cluster().a.app.get<Connection>(getConnectionToken()).db;
    if (!db) throw new Error('no database');
    const days = db.collection<{ _id: string; claimedAt: Date; doneAt: Date | null }>(
      'spotlight_days',
    );
    // An instance claimed the day at 00:00:05 and died before announcing it.
    await days.insertOne({
      _id: '2027-09-09',
      claimedAt: new Date('2027-09-09T00:00:05Z'),
      doneAt: null,
    });
    try {
      expect(await announce('2027-09-09T00:01:00Z')).toEqual([0, 0]);
      const counts = await announce('2027-09-09T00:03:00Z');
      // Its day and date rooms, by one instance.
      expect(counts.sort()).toEqual([0, 2]);
      const deadline = Date.now() + 3_000;
      while (heard.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await announce('2027-09-09T00:06:00Z')).toEqual([0, 0]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toEqual([
        { roomKey: dayKey, users: [expect.objectContaining({ id: user.id })] },
      ]);
      const done = (await days.findOne({ _id: '2027-09-09' }))?.doneAt;
      expect(done?.toISOString().slice(0, 16)).toBe('2027-09-09T00:03');
    } finally {
      for (const instance of [cluster().a, cluster().b]) instance.clock.reset();
    }
  });

  describe('with an instance in another process', () => {
    let child: ChildInstance | undefined;

    beforeAll(async () => {
      child = await startChild();
    }, 90_000);

    afterAll(() => stopChild(child, 'SIGTERM'));

    // Ids drawn by two processes used to interleave by process within a second (ObjectIds), so a
    // client paging after the last id it saw could skip a message landing just after.
    it('catching up after the last seen id misses nothing while both take parallel posts', async () => {
      const birthDate = '1977-03-03';
      const room = `day-${birthDate}`;
      const instances = [cluster().a.http, request(child?.url ?? '')];
      const users = await Promise.all(
        Array.from({ length: 8 }, () => signUp(cluster().a, { birthDate })),
      );
      const seen: string[] = [];
      let cursor = '000000000000000000000000';
      const state = { posting: true };
      const catchUp = async (turn: number): Promise<number> => {
        const res = await instances[turn % 2]
          .get(`/api/v1/rooms/${room}/messages?after=${cursor}&limit=100`)
          .set(users[0].auth);
        expect(res.status).toBe(200);
        const items = (res.body as { items: { id: string }[] }).items;
        for (const item of items) seen.push(item.id);
        if (items.length > 0) cursor = items[items.length - 1].id;
        return items.length;
      };
      // A client that keeps fetching what it has not seen yet, by the last id it saw.
      const reader = (async () => {
        for (let turn = 0; state.posting; turn++) await catchUp(turn);
      })();
      const posts = await Promise.all(
        users.flatMap((user, i) =>
          Array.from({ length: 10 }, (_, k) =>
            instances[(i + k) % 2]
              .post(`/api/v1/rooms/${room}/messages`)
              .set(user.auth)
              .send({ text: `${i}-${k}` }),
          ),
        ),
      );
      state.posting = false;
      await reader;
      while ((await catchUp(1)) > 0);
      expect(posts.map((res) => res.status)).toEqual(Array<number>(80).fill(201));
      const posted = posts.map((res) => (res.body as { id: string }).id).sort();
      expect(new Set(posted).size).toBe(80);
      expect(seen).toEqual(posted);
    });
  });

  describe('a killed instance', () => {
    let child: ChildInstance | undefined;

    afterAll(() => stopChild(child, 'SIGKILL'));

    it('loses its presence within PRESENCE_TTL_SECONDS', async () => {
      child = await startChild();
      const roomKey = 'year-1977';
      const user = await signUp(cluster().a, { birthDate: '1977-01-02' });
      const onChild = await connectSocket(child.url, user.accessToken);
      sockets.push(onChild);
      expect(await send(onChild, 'room:join', { roomKey })).toMatchObject({ ok: true });
      const presence = cluster().a.app.get(Presence);
      const before = (await presence.counts([roomKey]))[0];
      expect(before).toBeGreaterThanOrEqual(1);
      const killedAt = Date.now();
      child.running.child.kill('SIGKILL');
      await child.running.exited();
      // Nothing announces a crash: the entries expire with the dead instance's heartbeat.
      const deadline = Date.now() + 10_000;
      let after = before;
      while (after >= before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = (await presence.counts([roomKey]))[0];
      }
      expect(after).toBe(before - 1);
      // PRESENCE_TTL_SECONDS is 2 here; the polling above adds up to 200 ms.
      expect(Date.now() - killedAt).toBeLessThan(2_000 + 500);
    }, 90_000);
  });
});
