import { JwtService } from '@nestjs/jwt';
import { UsersService } from '@app/users';
import { AVATAR_URL, createTestApp, signUp, type TestApp, type TestSession } from './support';
import {
  connectSocket,
  disconnection,
  nextEvent,
  record,
  refusedConnection,
  send,
  socketsClosable,
  type TestSocket,
} from './support/sockets';
import { closeAll } from './support/teardown';

const BIRTH = '1990-05-17';
const DAY = `day-${BIRTH}`;
const YEAR = 'year-1990';

describe('realtime gateway', () => {
  let t: TestApp;
  const sockets: TestSocket[] = [];

  const open = async (session: TestSession): Promise<TestSocket> => {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  };

  const joined = async (session: TestSession, roomKey = DAY): Promise<TestSocket> => {
    const socket = await open(session);
    expect(await send(socket, 'room:join', { roomKey })).toMatchObject({ ok: true, roomKey });
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  describe('handshake', () => {
    const unauthorized = (message: string) => ({
      message: 'UNAUTHORIZED',
      data: { code: 'UNAUTHORIZED', message },
    });

    it('accepts no Origin and its own host, and refuses a foreign Origin (no CORS_ORIGINS here)', async () => {
      const user = await signUp(t);
      sockets.push(await connectSocket(t.baseUrl, user.accessToken));
      sockets.push(await connectSocket(t.baseUrl, user.accessToken, t.baseUrl));
      const foreign = await refusedConnection(
        t.baseUrl,
        { token: user.accessToken },
        'https://evil.example',
      );
      expect(foreign.data).toBeUndefined();
    });

    it('refuses a missing token with connect_error UNAUTHORIZED', async () => {
      const error = await refusedConnection(t.baseUrl, undefined);
      expect(error).toMatchObject(unauthorized('A valid access token is required'));
      const empty = await refusedConnection(t.baseUrl, { token: 42 });
      expect(empty).toMatchObject(unauthorized('A valid access token is required'));
    });

    it('refuses a token signed with another secret', async () => {
      const user = await signUp(t);
      const [, claims] = user.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as object;
      const forged = new JwtService().sign(payload, {
        secret: 'not-the-secret-of-this-server-0123456789',
        algorithm: 'HS256',
      });
      const error = await refusedConnection(t.baseUrl, { token: forged });
      expect(error).toMatchObject(unauthorized('A valid access token is required'));
    });

    it('refuses a token whose lifetime has passed on the server clock', async () => {
      const user = await signUp(t);
      t.clock.advance((t.config.get('ACCESS_TOKEN_TTL_SECONDS') + 1) * 1000);
      try {
        const error = await refusedConnection(t.baseUrl, { token: user.accessToken });
        expect(error).toMatchObject(unauthorized('Access token expired'));
      } finally {
        t.clock.reset();
      }
    });

    it('refuses the token of a session that logged out, and logout disconnects its socket', async () => {
      const user = await signUp(t);
      const socket = await open(user);
      const gone = disconnection(socket);
      expect((await user.agent.post('/api/v1/auth/logout')).status).toBe(204);
      expect(await gone).toBe('io server disconnect');
      const error = await refusedConnection(t.baseUrl, { token: user.accessToken });
      expect(error).toMatchObject(unauthorized('Session ended; sign in again'));
    });

    it('a password change disconnects the sockets of the other sessions, not those of this one', async () => {
      const user = await signUp(t);
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: user.password });
      expect(login.status).toBe(200);
      const other = await connectSocket(
        t.baseUrl,
        (login.body as { accessToken: string }).accessToken,
      );
      sockets.push(other);
      const own = await open(user);
      const gone = disconnection(other);
      const change = await user.agent
        .post('/api/v1/auth/password')
        .send({ currentPassword: user.password, newPassword: 'a brand new password' });
      expect(change.status).toBe(204);
      expect(await gone).toBe('io server disconnect');
      expect(own.connected).toBe(true);
      expect(await send(own, 'room:join', { roomKey: DAY })).toMatchObject({ ok: true });
    });

    it('disconnects every socket of a user who gets banned, and refuses them with ACCOUNT_BANNED', async () => {
      const user = await signUp(t);
      const [first, second] = [await open(user), await open(user)];
      const gone = Promise.all([disconnection(first), disconnection(second)]);
      await t.app.get(UsersService).updateByAdmin(user.id, { banned: true });
      expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
      const error = await refusedConnection(t.baseUrl, { token: user.accessToken });
      expect(error.message).toMatch(/^(ACCOUNT_BANNED|UNAUTHORIZED)$/);
    });
  });

  describe('rooms', () => {
    it('lets a member join (online and sponsor in the ack) and refuses others', async () => {
      const member = await signUp(t, { birthDate: BIRTH });
      const outsider = await signUp(t, { birthDate: '1985-01-02' });
      const socket = await open(member);
      expect(await send(socket, 'room:join', { roomKey: DAY })).toEqual({
        ok: true,
        roomKey: DAY,
        online: expect.any(Number) as number,
        sponsor: null,
      });
      const other = await open(outsider);
      const refused = await send(other, 'room:join', { roomKey: DAY });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const malformed = await send(other, 'room:join', { roomKey: 'no-such-room' });
      expect(malformed).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await send(socket, 'room:leave', { roomKey: DAY })).toEqual({
        ok: true,
        roomKey: DAY,
      });
    });

    it('counts distinct users: two sockets of one user are one, and joined/left are announced', async () => {
      const roomKey = 'year-1911';
      const [a, b] = [
        await signUp(t, { birthDate: '1911-03-04' }),
        await signUp(t, { birthDate: '1911-06-07' }),
      ];
      const watcher = await joined(b, roomKey);
      const announced = nextEvent(watcher, 'presence:update', (p) => p.joined?.id === a.id);
      const first = await open(a);
      expect(await send(first, 'room:join', { roomKey })).toMatchObject({ online: 2 });
      expect(await announced).toEqual({
        roomKey,
        onlineCount: 2,
        joined: {
          id: a.id,
          displayName: a.displayName,
          avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
          bio: '',
        },
      });
      const second = await open(a);
      expect(await send(second, 'room:join', { roomKey })).toMatchObject({ online: 2 });
      second.close();
      const left = nextEvent(watcher, 'presence:update', (p) => p.left?.id === a.id);
      first.close();
      expect(await left).toMatchObject({ roomKey, onlineCount: 1, left: { id: a.id } });
    });

    it('shows who is live over HTTP: onlineCount and members’ online, and neither once they left', async () => {
      const roomKey = 'year-1933';
      const [a, b] = [
        await signUp(t, { birthDate: '1933-01-01' }),
        await signUp(t, { birthDate: '1933-02-02' }),
      ];
      const live = await joined(a, roomKey);
      const room = await t.http.get(`/api/v1/rooms/${roomKey}`).set(b.auth);
      expect(room.body).toMatchObject({ memberCount: 2, onlineCount: 1 });
      const members = await t.http.get(`/api/v1/rooms/${roomKey}/members`).set(b.auth);
      const online = (members.body as { items: { id: string; online: boolean }[] }).items;
      expect(online).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: a.id, online: true }),
          expect.objectContaining({ id: b.id, online: false }),
        ]),
      );
      const gone = nextEvent(
        await joined(b, roomKey),
        'presence:update',
        (p) => p.onlineCount === 1,
      );
      live.close();
      await gone;
      const after = await t.http.get(`/api/v1/rooms/${roomKey}/members`).set(b.auth);
      const states = (after.body as { items: { id: string; online: boolean }[] }).items;
      expect(states.find((m) => m.id === a.id)?.online).toBe(false);
    });

    it('passes typing to the other users of the room, never to the sender', async () => {
      const roomKey = 'year-1922';
      const [a, b] = [
        await signUp(t, { birthDate: '1922-01-01' }),
        await signUp(t, { birthDate: '1922-02-02' }),
      ];
      const [typist, other] = [await joined(a, roomKey), await joined(b, roomKey)];
      const typistSaw = record(typist, 'typing');
      const heard = nextEvent(other, 'typing');
      expect(await send(typist, 'typing', { roomKey })).toEqual({ ok: true, roomKey, sent: true });
      expect(await heard).toEqual({
        roomKey,
        user: expect.objectContaining({ id: a.id }) as object,
      });
      expect(await send(typist, 'typing', { roomKey })).toEqual({ ok: true, roomKey, sent: false });
      const reply = nextEvent(typist, 'typing');
      await send(other, 'typing', { roomKey });
      await reply;
      expect(typistSaw.map((p) => p.user.id)).toEqual([b.id]);
      const notJoined = await send(other, 'typing', { roomKey: `day-1922-02-02` });
      expect(notJoined).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });
  });

  describe('messages', () => {
    it('a REST post reaches the sockets in its room and no other', async () => {
      const [author, reader, elsewhere] = [
        await signUp(t, { birthDate: BIRTH }),
        await signUp(t, { birthDate: BIRTH }),
        await signUp(t, { birthDate: '1990-08-09' }),
      ];
      const inRoom = await joined(reader, DAY);
      const outside = await joined(elsewhere, 'day-1990-08-09');
      const outsideSaw = record(outside, 'message:new');
      const delivered = nextEvent(inRoom, 'message:new');
      const res = await author.agent
        .post(`/api/v1/rooms/${DAY}/messages`)
        .send({ text: 'hello room' });
      expect(res.status).toBe(201);
      expect(await delivered).toEqual({ message: res.body as object });
      const marker = nextEvent(outside, 'message:new');
      await elsewhere.agent.post('/api/v1/rooms/day-1990-08-09/messages').send({ text: 'marker' });
      await marker;
      expect(outsideSaw.map((p) => p.message.text)).toEqual(['marker']);
    });

    it('message:send acks the message, broadcasts it once, updates the balance; delete reaches the room', async () => {
      const [author, reader] = [
        await signUp(t, { birthDate: BIRTH }),
        await signUp(t, { birthDate: BIRTH }),
      ];
      const [mine, theirs] = [await joined(author, YEAR), await joined(reader, YEAR)];
      const seen = record(theirs, 'message:new');
      const balance = nextEvent(mine, 'tokens:balance');
      const delivered = nextEvent(theirs, 'message:new');
      const ack = await send(mine, 'message:send', {
        roomKey: YEAR,
        text: ' hi \u0007',
        clientMessageId: 'c-1',
      });
      expect(ack).toMatchObject({
        ok: true,
        created: true,
        message: { text: 'hi', roomKey: YEAR },
      });
      const { message } = ack as unknown as { message: { id: string } };
      expect(await delivered).toEqual({ message });
      const me = await author.agent.get('/api/v1/auth/me');
      expect(await balance).toEqual({ balance: (me.body as { tokens: number }).tokens });
      const again = await send(mine, 'message:send', {
        roomKey: YEAR,
        text: 'hi',
        clientMessageId: 'c-1',
      });
      expect(again).toEqual({ ok: true, created: false, message });
      const deleted = nextEvent(theirs, 'message:deleted');
      expect((await author.agent.delete(`/api/v1/messages/${message.id}`)).status).toBe(204);
      expect(await deleted).toEqual({ id: message.id, roomKey: YEAR });
      expect(seen).toHaveLength(1);
    });
  });

  describe('payloads', () => {
    const garbage: [string, unknown][] = [
      ['null', null],
      ['a number', 42],
      ['a string', 'day-1990-05-17'],
      ['an array', [{ roomKey: DAY }]],
      ['no fields', {}],
      ['an extra field', { roomKey: DAY, text: 'x', extra: 1 }],
      ['a $ key', { roomKey: DAY, text: 'x', $where: '1' }],
      ['a nested $ key', { roomKey: { $ne: null }, text: 'x' }],
      ['a __proto__ key', JSON.parse('{"roomKey":"x","text":"x","__proto__":{"admin":true}}')],
      ['a number field', { roomKey: 7, text: 7 }],
      [
        'deep nesting',
        { roomKey: DAY, text: JSON.parse(`${'['.repeat(60)}${']'.repeat(60)}`) as unknown },
      ],
    ];
    const events = ['room:join', 'room:leave', 'message:send', 'typing'];

    it.each(events)(
      '%s answers every garbage payload with VALIDATION_FAILED and keeps the socket',
      async (event) => {
        const user = await signUp(t, { birthDate: BIRTH });
        const socket = await open(user);
        for (const [, payload] of garbage) {
          const ack = await send(socket, event, payload);
          expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
          expect((ack as { error: { details: unknown[] } }).error.details.length).toBeGreaterThan(
            0,
          );
        }
        const none = await send(socket, event);
        expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        socket.emit(event as 'typing', null as never, undefined as never);
        (socket.emit as (e: string, ...a: unknown[]) => void)(event, { roomKey: 5 });
        expect(socket.connected).toBe(true);
        expect(await send(socket, 'room:join', { roomKey: DAY })).toMatchObject({ ok: true });
      },
    );

    it('answers a payload of thousands of unknown keys with 50 details and a count, not one each', async () => {
      const user = await signUp(t, { birthDate: BIRTH });
      const socket = await open(user);
      const payload = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1]));
      const ack = (await send(socket, 'room:join', payload)) as {
        ok: false;
        error: { code: string; details: { field: string; message: string }[] };
      };
      expect(ack.error.code).toBe('VALIDATION_FAILED');
      expect(ack.error.details).toHaveLength(51);
      expect(ack.error.details.at(-1)).toEqual({
        field: '(more)',
        message: expect.stringMatching(/^and \d+ more problems of the same request$/) as string,
      });
      expect(socket.connected).toBe(true);
    });

    it('refuses a huge text with VALIDATION_FAILED and an unknown event with BAD_REQUEST', async () => {
      const user = await signUp(t, { birthDate: BIRTH });
      const socket = await open(user);
      const huge = await send(socket, 'message:send', { roomKey: DAY, text: 'x'.repeat(20_000) });
      expect(huge).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      const unknown = await send(socket, 'rooms:drop', {});
      expect(unknown).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(await send(socket, 'room:join', { roomKey: DAY })).toMatchObject({ ok: true });
    });
  });
});

describe('realtime socket event limit', () => {
  let t: TestApp;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { SOCKET_EVENTS_PER_MINUTE: '3' } });
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  it('answers RATE_LIMITED past SOCKET_EVENTS_PER_MINUTE per user, over all their sockets', async () => {
    const user = await signUp(t, { birthDate: BIRTH });
    const [a, b] = [
      await connectSocket(t.baseUrl, user.accessToken),
      await connectSocket(t.baseUrl, user.accessToken),
    ];
    sockets.push(a, b);
    for (const socket of [a, b, a]) {
      expect(await send(socket, 'room:join', { roomKey: DAY })).toMatchObject({ ok: true });
    }
    const limited = await send(b, 'room:leave', { roomKey: DAY });
    expect(limited).toEqual({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^Too many requests/) as string,
        retryAfterSeconds: expect.any(Number) as number,
      },
    });
    expect(b.connected).toBe(true);
  });
});

describe('realtime shutdown', () => {
  it('tells clients to reconnect, answers the send in flight, then disconnects', async () => {
    const t = await createTestApp();
    let socket: TestSocket | undefined;
    try {
      const user = await signUp(t, { birthDate: BIRTH });
      socket = await connectSocket(t.baseUrl, user.accessToken);
      const notice = nextEvent(socket, 'server:shutdown');
      const gone = disconnection(socket);
      const charged = nextEvent(socket, 'tokens:balance');
      const sending = send(socket, 'message:send', { roomKey: DAY, text: 'last words' });
      // The spend is announced while the send is in flight on the server: stop now.
      await charged;
      const closing = t.close();
      expect(await sending).toMatchObject({
        ok: true,
        created: true,
        message: { text: 'last words' },
      });
      expect(await notice).toEqual({ reconnect: true });
      expect(await gone).toBe('io server disconnect');
      await closing;
    } finally {
      socket?.close();
      await t.close().catch(() => undefined);
    }
  });
});
