import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { Presence } from '@app/rooms';
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
  send,
  socketsClosable,
  type TestSocket,
} from './support/sockets';
import { closeAll } from './support/teardown';

const BIRTH = '1977-07-07';
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

  describe('a killed instance', () => {
    let child: RunningProcess | undefined;
    let workDir = '';

    afterAll(async () => {
      if (child && child.child.exitCode === null && child.child.signalCode === null) {
        child.child.kill('SIGKILL');
        await child.exited();
      }
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('loses its presence within PRESENCE_TTL_SECONDS', async () => {
      workDir = await mkdtemp(join(tmpdir(), 'dobkonektor-cluster-'));
      const port = await freePort();
      child = spawnTypeScript('apps/api/src/main.ts', [], {
        cwd: workDir,
        env: minimalEnv({ ...env(), PORT: String(port) }),
      });
      await child.waitForOutput(/Listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
      const roomKey = 'year-1977';
      const user = await signUp(cluster().a, { birthDate: '1977-01-02' });
      const onChild = await connectSocket(`http://127.0.0.1:${port}`, user.accessToken);
      sockets.push(onChild);
      expect(await send(onChild, 'room:join', { roomKey })).toMatchObject({ ok: true });
      const presence = cluster().a.app.get(Presence);
      const before = (await presence.counts([roomKey]))[0];
      expect(before).toBeGreaterThanOrEqual(1);
      const killedAt = Date.now();
      child.child.kill('SIGKILL');
      await child.exited();
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
