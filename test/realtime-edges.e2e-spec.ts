import { PRESENCE_NOTICE_WINDOW_MS } from '@app/realtime';
import { createTestApp, signUp, type TestApp, type TestSession } from './support';
import { freePort } from './support/child-process';
import { connectSocket, record, send, socketsClosable, type TestSocket } from './support/sockets';
import { closeAll } from './support/teardown';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('edges: presence bursts and races, Redis down', () => {
  let t: TestApp;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  const open = async (session: TestSession): Promise<TestSocket> => {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  };

  const onlineIn = async (session: TestSession, roomKey: string): Promise<number> => {
    const res = await t.http.get(`/api/v1/rooms/${roomKey}`).set(session.auth);
    expect(res.status).toBe(200);
    return (res.body as { onlineCount: number }).onlineCount;
  };

  it('gathers a burst of joins into a few presence:update, the first at once, the last with the final count', async () => {
    const birthDate = '1981-06-06';
    const roomKey = `day-${birthDate}`;
    const watcher = await open(await signUp(t, { birthDate }));
    expect(await send(watcher, 'room:join', { roomKey })).toMatchObject({ ok: true, online: 1 });
    // Let the window its own join opened close, so the burst starts in a quiet room.
    await delay(PRESENCE_NOTICE_WINDOW_MS + 100);
    const updates = record(watcher, 'presence:update');

    const others = await Promise.all(Array.from({ length: 12 }, () => signUp(t, { birthDate })));
    const started = Date.now();
    const acks = await Promise.all(
      others.map(async (other) => send(await open(other), 'room:join', { roomKey })),
    );
    const span = Date.now() - started;
    for (const ack of acks) expect(ack).toMatchObject({ ok: true });
    const deadline = Date.now() + 3_000;
    while (updates.at(-1)?.onlineCount !== 13 && Date.now() < deadline) await delay(50);

    expect(updates.at(-1)).toMatchObject({ roomKey, onlineCount: 13 });
    // One at once, then at most one per window: far fewer than one per join.
    expect(updates.length).toBeLessThan(12);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(span / PRESENCE_NOTICE_WINDOW_MS) + 2);
    expect(updates[0].joined?.id).toBeDefined();
    for (let i = 1; i < updates.length; i++) {
      expect(updates[i].onlineCount).toBeGreaterThanOrEqual(updates[i - 1].onlineCount);
    }
  });

  it('leaves no one online when a socket disconnects while its join is in flight', async () => {
    const birthDate = '1981-07-07';
    const roomKey = `day-${birthDate}`;
    const checker = await signUp(t, { birthDate });
    for (let i = 0; i < 8; i++) {
      const user = await signUp(t, { birthDate });
      const socket = await connectSocket(t.baseUrl, user.accessToken);
      socket.emit('room:join', { roomKey }, () => undefined);
      socket.disconnect();
    }
    await delay(500);
    expect(await onlineIn(checker, roomKey)).toBe(0);
  });

  it('answers SERVICE_UNAVAILABLE, never a 500, when the rate limits’ Redis does not answer', async () => {
    const deadPort = await freePort();
    const down = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${deadPort}` } });
    try {
      const signup = await down.http.post('/api/v1/auth/signup').send({
        email: 'redis-down@example.com',
        password: 'correct horse battery',
        displayName: 'Down',
        birthDate: '1981-08-08',
        inviteCode: 'ABCD-EFGH-JKLM',
      });
      const login = await down.http
        .post('/api/v1/auth/login')
        .send({ email: 'redis-down@example.com', password: 'correct horse battery' });
      for (const res of [signup, login]) {
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({
          error: 'SERVICE_UNAVAILABLE',
          message: 'The rate limit store does not answer',
        });
      }
    } finally {
      await down.close();
    }
  });
});
