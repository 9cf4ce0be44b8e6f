import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@app/common';
import { Presence, RedisPresence } from '@app/rooms';
import { createTestApp, signUp, type TestApp } from './support';
import { freePort } from './support/child-process';
import { closeAll } from './support/teardown';

const ROOM = 'year-1990';
const TTL_SECONDS = 2;

/** Polls `read` until it returns `expected` or `timeoutMs` passes; answers the last value. */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!Object.is(value, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('presence across instances (Redis)', () => {
  const url = process.env.REDIS_URL ?? '';
  let prefix: string;
  let clients: Redis[];
  let started: RedisPresence[];
  let admin: Redis;

  /** One instance of the deployment: a client of its own, this test's prefix. */
  function instance(options: { start: boolean }): RedisPresence {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const presence = new RedisPresence(client, prefix, TTL_SECONDS);
    if (options.start) {
      presence.onModuleInit();
      started.push(presence);
    }
    return presence;
  }

  async function keysOfThisTest(): Promise<string[]> {
    return (await admin.keys(`${prefix}*`)).sort();
  }

  beforeAll(() => {
    if (!url) throw new Error('REDIS_URL is unset: the e2e global setup starts a Redis');
    admin = new Redis(url);
  });

  beforeEach(() => {
    prefix = `test-presence-${randomUUID()}:`;
    clients = [];
    started = [];
  });

  afterEach(async () => {
    for (const presence of started) await presence.onApplicationShutdown();
    const keys = await keysOfThisTest();
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all(clients.map((client) => client.quit()));
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('counts distinct users over every instance: one user on two instances is one person', async () => {
    const [a, b] = [instance({ start: true }), instance({ start: true })];
    expect(await a.enter(ROOM, 'ann', 'a1')).toEqual({ onlineCount: 1, changed: true });
    expect(await b.enter(ROOM, 'ann', 'b1')).toEqual({ onlineCount: 1, changed: false });
    expect(await b.enter(ROOM, 'ann', 'b2')).toEqual({ onlineCount: 1, changed: false });
    expect(await b.enter(ROOM, 'bob', 'b3')).toEqual({ onlineCount: 2, changed: true });
    expect(await a.enter('date-05-17', 'ann', 'a1')).toEqual({ onlineCount: 1, changed: true });
    expect(await a.counts([ROOM, 'date-05-17', 'day-1990-05-17'])).toEqual([2, 1, 0]);
    expect(await b.counts([ROOM, 'date-05-17', 'day-1990-05-17'])).toEqual([2, 1, 0]);
    expect(await a.onlineAmong(ROOM, ['ann', 'bob', 'cat'])).toEqual(new Set(['ann', 'bob']));
    expect(await a.onlineAmong(ROOM, [])).toEqual(new Set());
    expect(a.roomsOfSocket('a1').sort()).toEqual(['date-05-17', ROOM]);
    expect(b.roomsOfSocket('a1')).toEqual([]);
  });

  it('a user goes offline when their last socket on the last instance leaves; repeated enters and exits change nothing', async () => {
    const [a, b] = [instance({ start: true }), instance({ start: true })];
    await a.enter(ROOM, 'ann', 'a1');
    expect(await a.enter(ROOM, 'ann', 'a1')).toEqual({ onlineCount: 1, changed: false });
    await b.enter(ROOM, 'ann', 'b1');
    await b.enter(ROOM, 'bob', 'b2');
    expect(await a.exit(ROOM, 'ann', 'a1')).toEqual({ onlineCount: 2, changed: false });
    expect(await a.exit(ROOM, 'ann', 'a1')).toEqual({ onlineCount: 2, changed: false });
    expect(await a.exit(ROOM, 'zed', 'a9')).toEqual({ onlineCount: 2, changed: false });
    expect(await b.exit(ROOM, 'ann', 'b1')).toEqual({ onlineCount: 1, changed: true });
    expect(await b.exit(ROOM, 'bob', 'b2')).toEqual({ onlineCount: 0, changed: true });
    expect(await a.counts([ROOM])).toEqual([0]);
    expect(await admin.exists(`${prefix}presence:room:${ROOM}`)).toBe(0);
  });

  it('the entries of an instance that stops beating without cleanup (a crash) vanish within the TTL, once', async () => {
    const [a, b] = [instance({ start: true }), instance({ start: true })];
    const crashed = instance({ start: false });
    await a.enter(ROOM, 'ann', 'a1');
    expect(await crashed.enter(ROOM, 'ann', 'c1')).toEqual({ onlineCount: 1, changed: false });
    expect(await crashed.enter(ROOM, 'cat', 'c2')).toEqual({ onlineCount: 2, changed: true });
    expect(await b.counts([ROOM])).toEqual([2]);

    const began = Date.now();
    const count = (): Promise<number> => b.counts([ROOM]).then(([n]) => n);
    expect(await eventually(count, 1, TTL_SECONDS * 1000 + 3000)).toBe(1);
    // Within the TTL, give or take the polling and the timers' slack.
    expect(Date.now() - began).toBeLessThan(TTL_SECONDS * 1000 + 250);
    // Two sweepers ran: ann, still held by a, was uncounted once, not twice.
    expect(await admin.hgetall(`${prefix}presence:room:${ROOM}`)).toEqual({ ann: '1' });
    expect(await a.onlineAmong(ROOM, ['ann', 'cat'])).toEqual(new Set(['ann']));
    expect(await admin.exists(`${prefix}presence:instance:${crashed.instanceId}`)).toBe(0);
    expect(await admin.zscore(`${prefix}presence:instances`, crashed.instanceId)).toBeNull();
    expect(await admin.zscore(`${prefix}presence:instances`, a.instanceId)).not.toBeNull();
  });

  it('an instance reaped while alive (a long pause) puts its users back on its next beat', async () => {
    const [a, b] = [instance({ start: true }), instance({ start: true })];
    await a.enter(ROOM, 'ann', 'a1');
    await a.enter('date-05-17', 'bob', 'a2');
    await b.enter(ROOM, 'ann', 'b1');
    // What a sweeper does to an instance whose last beat is older than the TTL.
    await admin
      .multi()
      .zrem(`${prefix}presence:instances`, a.instanceId)
      .del(`${prefix}presence:instance:${a.instanceId}`)
      .hincrby(`${prefix}presence:room:${ROOM}`, 'ann', -1)
      .hdel(`${prefix}presence:room:date-05-17`, 'bob')
      .exec();
    expect(await b.counts(['date-05-17'])).toEqual([0]);
    const count = (): Promise<number> => b.counts(['date-05-17']).then(([n]) => n);
    expect(await eventually(count, 1, TTL_SECONDS * 1000)).toBe(1);
    expect(await admin.hgetall(`${prefix}presence:room:${ROOM}`)).toEqual({ ann: '2' });
    expect(await a.exit(ROOM, 'ann', 'a1')).toEqual({ onlineCount: 1, changed: false });
  });

  it('shutdown removes only this instance’s entries, stops its timers, and refuses later calls', async () => {
    const [a, b] = [instance({ start: true }), instance({ start: true })];
    await a.enter(ROOM, 'ann', 'a1');
    await a.enter(ROOM, 'bob', 'a2');
    await b.enter(ROOM, 'bob', 'b1');
    await a.onApplicationShutdown();
    expect(await b.counts([ROOM])).toEqual([1]);
    expect(await admin.hgetall(`${prefix}presence:room:${ROOM}`)).toEqual({ bob: '1' });
    expect(await admin.exists(`${prefix}presence:instance:${a.instanceId}`)).toBe(0);
    expect(await admin.zscore(`${prefix}presence:instances`, a.instanceId)).toBeNull();
    await expect(a.enter(ROOM, 'cat', 'a3')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('rejects with SERVICE_UNAVAILABLE, never hangs, when Redis does not answer', async () => {
    const port = await freePort();
    // Queues commands forever while it retries: only the presence's own timeout ends the wait.
    const down = new Redis(port, {
      maxRetriesPerRequest: null,
      retryStrategy: () => 200,
      disconnectTimeout: 100,
    });
    down.on('error', () => undefined);
    const presence = new RedisPresence(down, prefix, TTL_SECONDS, { commandTimeoutMs: 300 });
    try {
      const entering = presence.enter(ROOM, 'ann', 's1');
      await expect(entering).rejects.toBeInstanceOf(DomainError);
      await expect(entering).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        message: 'Live presence is unavailable right now; try again shortly',
      });
      expect(presence.roomsOfSocket('s1')).toEqual([]);
      await expect(presence.exit(ROOM, 'ann', 's1')).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
      });
      await expect(presence.counts([ROOM])).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
      });
    } finally {
      down.disconnect();
    }
  });

  describe('in the app', () => {
    let t: TestApp | undefined;

    afterEach(async () => {
      await closeAll(t);
      t = undefined;
    });

    it('is the Presence of an app with REDIS_URL, and Nest starts and stops it', async () => {
      t = await createTestApp({
        env: { REDIS_URL: url, REDIS_KEY_PREFIX: prefix, PRESENCE_TTL_SECONDS: '2' },
      });
      const presence = t.app.get(Presence);
      expect(presence).toBeInstanceOf(RedisPresence);
      const id = (presence as RedisPresence).instanceId;
      const beat = (): Promise<boolean> =>
        admin.zscore(`${prefix}presence:instances`, id).then((score) => score !== null);
      expect(await eventually(beat, true, 3000)).toBe(true);

      const user = await signUp(t, { birthDate: '1990-05-17' });
      await presence.enter(ROOM, user.id, 's1');
      const rooms = await t.http.get('/api/v1/rooms').set(user.auth);
      expect(rooms.status).toBe(200);
      expect(
        (rooms.body as { key: string; onlineCount: number }[]).map((r) => [r.key, r.onlineCount]),
      ).toEqual([
        ['day-1990-05-17', 0],
        ['date-05-17', 0],
        [ROOM, 1],
      ]);

      await t.close();
      t = undefined;
      expect(await admin.keys(`${prefix}presence:*`)).toEqual([]);
    });
  });
});
