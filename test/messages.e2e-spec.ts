import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { TokensService } from '@app/tokens';
import {
  AVATAR_URL,
  createTestApp,
  expectError,
  refreshSession,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

const OBJECT_ID = /^[0-9a-f]{24}$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const NOT_A_MEMBER = 'Only members of this room may do this';
const OLDEST = '000000000000000000000000';

interface Message {
  id: string;
  roomKey: string;
  author: { id: string; displayName: string; avatarUrl: string | null; bio: string };
  text: string;
  clientMessageId: string | null;
  createdAt: string;
  expiresAt: string;
}

interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}

interface Entry {
  id: string;
  delta: number;
  reason: string;
  ref: string | null;
  balanceAfter: number;
}

let birthYear = 1940;

/** A birth date no other test uses, so that each test has day rooms of its own. */
function freshBirthDate(): string {
  birthYear += 1;
  return `${birthYear}-03-14`;
}

function dayRoom(user: TestSession): string {
  return `day-${user.birthDate}`;
}

function postIn(user: TestSession, key: string, body: object): Promise<Response> {
  return user.agent.post(`/api/v1/rooms/${key}/messages`).send(body);
}

async function posted(user: TestSession, body: object, key = dayRoom(user)): Promise<Message> {
  const res = await postIn(user, key, body);
  expect(res.status).toBe(201);
  return res.body as Message;
}

async function pageOf(user: TestSession, key: string, query = ''): Promise<MessagePage> {
  const res = await user.agent.get(`/api/v1/rooms/${key}/messages${query}`);
  expect(res.status).toBe(200);
  return res.body as MessagePage;
}

async function balanceOf(user: TestSession): Promise<number> {
  const res = await user.agent.get('/api/v1/tokens');
  expect(res.status).toBe(200);
  return (res.body as { balance: number }).balance;
}

async function ledgerOf(user: TestSession): Promise<Entry[]> {
  const res = await user.agent.get('/api/v1/tokens/ledger?limit=100');
  expect(res.status).toBe(200);
  return (res.body as { items: Entry[] }).items;
}

/** The rule every money path keeps: the ledger's deltas sum to the balance. */
async function expectBalanceAndLedger(user: TestSession, balance: number): Promise<Entry[]> {
  expect(await balanceOf(user)).toBe(balance);
  const entries = await ledgerOf(user);
  expect(entries.reduce((sum, entry) => sum + entry.delta, 0)).toBe(balance);
  return entries;
}

interface IndexInfo {
  name: string;
  key: Record<string, unknown>;
  expireAfterSeconds?: number;
}

async function indexesOf(t: TestApp): Promise<IndexInfo[]> {
  const messages = t.app.get<Connection>(getConnectionToken()).collection('messages');
  return (await messages.listIndexes().toArray()) as IndexInfo[];
}

/** Every page of a walk with ?before (newest first) or ?after (oldest first), concatenated. */
async function walk(
  user: TestSession,
  key: string,
  direction: 'before' | 'after',
  limit: number,
  between: () => Promise<void> = () => Promise.resolve(),
): Promise<Message[]> {
  const all: Message[] = [];
  let cursor: string | null = direction === 'after' ? OLDEST : null;
  for (let pages = 0; pages < 100; pages++) {
    const query = `?limit=${limit}${cursor === null ? '' : `&${direction}=${cursor}`}`;
    const page = await pageOf(user, key, query);
    all.push(...page.items);
    if (page.nextCursor === null) return all;
    expect(page.nextCursor).toBe(page.items.at(-1)?.id);
    cursor = page.nextCursor;
    await between();
  }
  throw new Error('the walk does not end');
}

describe('messages', () => {
  let t: TestApp;
  let tokens: TokensService;

  beforeAll(async () => {
    t = await createTestApp({ env: { MESSAGE_RATE_PER_MINUTE: '100000' } });
    tokens = t.app.get(TokensService);
  });

  afterEach(() => {
    t.clock.reset();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function member(birthDate = freshBirthDate()): Promise<TestSession> {
    return signUp(t, { birthDate });
  }

  describe('POST /rooms/:key/messages', () => {
    it('answers 201 with the stored message: its author public view, and expiresAt = createdAt + 24 h', async () => {
      const user = await member();
      const before = t.clock.now().getTime();
      const res = await postIn(user, dayRoom(user), { text: 'Hello, twins!' });

      expect(res.status).toBe(201);
      const message = res.body as Message;
      expect(message).toEqual({
        id: expect.stringMatching(OBJECT_ID) as unknown,
        roomKey: dayRoom(user),
        author: {
          id: user.id,
          displayName: user.displayName,
          avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
          bio: expect.any(String) as unknown,
        },
        text: 'Hello, twins!',
        clientMessageId: null,
        createdAt: expect.any(String) as unknown,
        expiresAt: expect.any(String) as unknown,
      });
      const createdAt = Date.parse(message.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before);
      expect(Date.parse(message.expiresAt) - createdAt).toBe(DAY_MS);
      expect((await pageOf(user, dayRoom(user))).items).toEqual([message]);
    });

    it('posts in each of the three rooms of the birth date', async () => {
      const user = await member('1939-07-04');
      for (const key of ['day-1939-07-04', 'date-07-04', 'year-1939']) {
        expect((await posted(user, { text: key }, key)).roomKey).toBe(key);
      }
    });

    it('stores the text trimmed, with control characters removed (tab and line breaks kept), as plain text', async () => {
      const user = await member();
      const message = await posted(user, {
        text: '  \u0000<b>hi</b>\u0007 there\r\n\tsecond\u009B line \n ',
      });
      expect(message.text).toBe('<b>hi</b> there\n\tsecond line');
    });

    it('answers the text as it is stored: a lone surrogate becomes U+FFFD in both', async () => {
      const user = await member();
      const message = await posted(user, { text: 'q\ud800z' });
      expect(message.text).toBe('q\ufffdz');
      expect((await pageOf(user, dayRoom(user))).items.map((m) => m.text)).toEqual(['q\ufffdz']);
    });

    it.each([
      ['empty', ''],
      ['only spaces and control characters', ' \n\u0000\t '],
      ['1001 characters after trimming', ` ${'x'.repeat(1001)} `],
    ])('refuses a text %s with 400 naming text, storing and charging nothing', async (_, text) => {
      const user = await member();
      const res = await postIn(user, dayRoom(user), { text });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: 'VALIDATION_FAILED',
        details: [{ field: 'text', message: expect.any(String) as unknown }],
      });
      expect((await pageOf(user, dayRoom(user))).items).toEqual([]);
      await expectBalanceAndLedger(user, 100);
    });

    it('accepts exactly 1000 characters after trimming', async () => {
      const user = await member();
      const text = 'y'.repeat(1000);
      expect((await posted(user, { text: `\n${text}  ` })).text).toBe(text);
    });

    it('refuses a body with an unknown field, a missing or non-string text, or a bad clientMessageId with 400', async () => {
      const user = await member();
      const key = dayRoom(user);
      expectError(
        await postIn(user, key, { text: 'hi', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        'Validation failed',
        [{ field: 'extra', message: 'is not an allowed field' }],
      );
      for (const body of [{}, { text: 42 }, { text: null }]) {
        const res = await postIn(user, key, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          error: 'VALIDATION_FAILED',
          details: [{ field: 'text' }],
        });
      }
      for (const clientMessageId of ['', 'with space', 'x'.repeat(101), 'a/b', 7]) {
        const res = await postIn(user, key, { text: 'hi', clientMessageId });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          error: 'VALIDATION_FAILED',
          details: [{ field: 'clientMessageId' }],
        });
      }
      await expectBalanceAndLedger(user, 100);
    });

    it('refuses a room the user is not a member of with 403, and a malformed key with 404', async () => {
      const user = await member();
      const other = await member();
      expectError(
        await postIn(user, dayRoom(other), { text: 'hi' }),
        403,
        'FORBIDDEN',
        NOT_A_MEMBER,
      );
      for (const key of ['day-1990-5-17', 'room-1', 'year-19900']) {
        const res = await postIn(user, key, { text: 'hi' });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ error: 'NOT_FOUND' });
      }
      await expectBalanceAndLedger(user, 100);
    });

    it('needs an access token (401)', async () => {
      const res = await t.http.post('/api/v1/rooms/day-1990-05-17/messages').send({ text: 'hi' });
      expect(res.status).toBe(401);
    });
  });

  describe('price', () => {
    it('charges MESSAGE_COST per message: a "message" ledger entry whose ref is the message id', async () => {
      const user = await member();
      const message = await posted(user, { text: 'one token' });
      const entries = await expectBalanceAndLedger(user, 99);
      expect(entries[0]).toMatchObject({ delta: -1, reason: 'message', ref: message.id });
    });

    it('answers 402 INSUFFICIENT_TOKENS on an empty balance, and stores nothing', async () => {
      const user = await member();
      await tokens.spend(user.id, 100, 'admin');
      expectError(
        await postIn(user, dayRoom(user), { text: 'broke' }),
        402,
        'INSUFFICIENT_TOKENS',
        'This costs 1 tokens; your balance is too low',
      );
      expect((await pageOf(user, dayRoom(user))).items).toEqual([]);
      await expectBalanceAndLedger(user, 0);
    });

    it('of 100 parallel posts on a balance of 20, exactly 20 are stored and the rest answer 402; the balance ends at 0', async () => {
      const user = await member();
      await tokens.spend(user.id, 80, 'admin');
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => postIn(user, dayRoom(user), { text: `m${i}` })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(20);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(80);
      for (const res of refused) expect(res.body).toMatchObject({ error: 'INSUFFICIENT_TOKENS' });
      expect((await walk(user, dayRoom(user), 'before', 100)).length).toBe(20);
      const entries = await expectBalanceAndLedger(user, 0);
      expect(entries.filter((e) => e.reason === 'message')).toHaveLength(20);
    });
  });

  describe('clientMessageId (idempotency)', () => {
    it('a repeated clientMessageId answers the first message and charges nothing', async () => {
      const user = await member();
      const first = await posted(user, { text: 'once', clientMessageId: 'retry-1' });
      const again = await posted(user, { text: 'a different text', clientMessageId: 'retry-1' });
      expect(again).toEqual(first);
      expect(first.clientMessageId).toBe('retry-1');
      expect((await pageOf(user, dayRoom(user))).items).toEqual([first]);
      await expectBalanceAndLedger(user, 99);
    });

    it('10 parallel posts with one clientMessageId store one message, charged once (losers refunded)', async () => {
      const user = await member();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          postIn(user, dayRoom(user), { text: 'twin', clientMessageId: 'parallel-1' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array<number>(10).fill(201));
      const ids = new Set(results.map((r) => (r.body as Message).id));
      expect(ids.size).toBe(1);
      expect((await pageOf(user, dayRoom(user))).items).toHaveLength(1);
      const entries = await expectBalanceAndLedger(user, 99);
      const [id] = [...ids];
      const charged = entries.filter((e) => e.reason === 'message');
      const refunded = entries.filter((e) => e.reason === 'refund');
      expect(charged.length - refunded.length).toBe(1);
      expect(charged.filter((e) => e.ref === id)).toHaveLength(1);
    });

    it('is per author: another member may use the same clientMessageId for a message of their own', async () => {
      const birthDate = freshBirthDate();
      const [ann, bob] = [await member(birthDate), await member(birthDate)];
      const a = await posted(ann, { text: 'ann', clientMessageId: 'same' });
      const b = await posted(bob, { text: 'bob', clientMessageId: 'same' });
      expect(b.id).not.toBe(a.id);
      expect(b.author.id).toBe(bob.id);
    });
  });

  it('a message that cannot be stored after the charge is refunded: 500, a "refund" entry, the ledger sums to the balance', async () => {
    const user = await member();
    const messages = t.app.get<Connection>(getConnectionToken()).collection('messages');
    // A real refusal of the store: a unique index that allows this author a single message.
    await messages.createIndexes([
      {
        key: { authorId: 1 },
        name: 'test_one_message_for_author',
        unique: true,
        partialFilterExpression: { authorId: new Types.ObjectId(user.id) },
      },
    ]);
    try {
      await posted(user, { text: 'the only one' });
      const res = await postIn(user, dayRoom(user), { text: 'refused by the store' });
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ error: 'INTERNAL' });
    } finally {
      await messages.dropIndex('test_one_message_for_author');
    }
    const entries = await expectBalanceAndLedger(user, 99);
    const [refund, charge] = entries;
    expect(refund).toMatchObject({ reason: 'refund', delta: 1, balanceAfter: 99 });
    expect(charge).toMatchObject({ reason: 'message', delta: -1, balanceAfter: 98 });
    expect(refund.ref).toBe(charge.id);
    expect((await pageOf(user, dayRoom(user))).items.map((m) => m.text)).toEqual(['the only one']);
  });

  describe('GET /rooms/:key/messages', () => {
    it('shows only messages of the last 24 hours', async () => {
      let user = await member();
      const old = await posted(user, { text: 'yesterday' });
      t.clock.advance(DAY_MS - 1000);
      user = await refreshSession(user);
      const fresh = await posted(user, { text: 'today' });
      expect((await pageOf(user, dayRoom(user))).items.map((m) => m.id)).toEqual([
        fresh.id,
        old.id,
      ]);

      t.clock.advance(2000);
      user = await refreshSession(user);
      expect((await pageOf(user, dayRoom(user))).items.map((m) => m.id)).toEqual([fresh.id]);
      expect((await pageOf(user, dayRoom(user), `?after=${OLDEST}`)).items).toHaveLength(1);
    });

    it('pages every message exactly once, newest first with before and oldest first with after, while others post', async () => {
      const birthDate = freshBirthDate();
      const users = [await member(birthDate), await member(birthDate), await member(birthDate)];
      const key = dayRoom(users[0]);
      const initial = await Promise.all(
        Array.from({ length: 30 }, (_, i) => posted(users[i % 3], { text: `p${i}` })),
      );
      const ids = initial.map((m) => m.id).sort();

      const late: Message[] = [];
      const newestFirst = await walk(users[0], key, 'before', 7, async () => {
        late.push(...(await Promise.all(users.map((u) => posted(u, { text: 'late' })))));
      });
      expect(newestFirst.map((m) => m.id)).toEqual([...ids].reverse());

      const caughtUp = await pageOf(users[1], key, `?after=${ids.at(-1)}&limit=100`);
      expect(caughtUp.items.map((m) => m.id)).toEqual(late.map((m) => m.id).sort());
      expect(caughtUp.nextCursor).toBeNull();

      const oldestFirst = await walk(users[2], key, 'after', 8);
      const everything = [...ids, ...late.map((m) => m.id)].sort();
      expect(oldestFirst.map((m) => m.id)).toEqual(everything);
    });

    it('numbers ids in the room: each post above the last, also after the newest one is deleted', async () => {
      const user = await member();
      const first = await posted(user, { text: 'one' });
      const second = await posted(user, { text: 'two' });
      expect(second.id > first.id).toBe(true);
      expect((await user.agent.delete(`/api/v1/messages/${second.id}`)).status).toBe(204);
      const third = await posted(user, { text: 'three' });
      // The deleted newest message's id is never given again: a client holding it as its cursor
      // would skip a message reusing it.
      expect(third.id > second.id).toBe(true);
      const caughtUp = await pageOf(user, dayRoom(user), `?after=${second.id}`);
      expect(caughtUp.items.map((m) => m.text)).toEqual(['three']);
    });

    it('answers an empty page with no nextCursor in a quiet room, and a full last page with one', async () => {
      const user = await member();
      expect(await pageOf(user, dayRoom(user))).toEqual({ items: [], nextCursor: null });
      const a = await posted(user, { text: 'a' });
      const b = await posted(user, { text: 'b' });
      expect(await pageOf(user, dayRoom(user), '?limit=1')).toMatchObject({
        items: [{ id: b.id }],
        nextCursor: b.id,
      });
      expect(await pageOf(user, dayRoom(user), `?limit=1&before=${b.id}`)).toMatchObject({
        items: [{ id: a.id }],
        nextCursor: null,
      });
    });

    it('refuses before and after together with 400 naming both', async () => {
      const user = await member();
      const res = await user.agent.get(
        `/api/v1/rooms/${dayRoom(user)}/messages?before=${OLDEST}&after=${OLDEST}`,
      );
      expectError(res, 400, 'BAD_REQUEST', 'Page either before a message or after one, not both', [
        { field: 'before', message: 'before cannot be combined with after' },
        { field: 'after', message: 'after cannot be combined with before' },
      ]);
    });

    it('refuses a malformed cursor or limit, and an unknown parameter, with 400', async () => {
      const user = await member();
      for (const query of ['?before=abc', '?after=12', '?limit=0', '?limit=101', '?cursor=x']) {
        const res = await user.agent.get(`/api/v1/rooms/${dayRoom(user)}/messages${query}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED' });
      }
    });

    it('lets members and admins read, not other users (403); a malformed key is 404', async () => {
      const user = await member();
      const message = await posted(user, { text: 'members only' });
      const outsider = await member();
      const admin = await signUpAdmin(t, { birthDate: freshBirthDate() });
      expectError(
        await outsider.agent.get(`/api/v1/rooms/${dayRoom(user)}/messages`),
        403,
        'FORBIDDEN',
        NOT_A_MEMBER,
      );
      expect((await pageOf(admin, dayRoom(user))).items).toEqual([message]);
      const res = await user.agent.get('/api/v1/rooms/day-99/messages');
      expect(res.status).toBe(404);
    });
  });

  describe('DELETE /messages/:id', () => {
    it('lets the author delete (204, gone from the list, no refund), and answers 404 after', async () => {
      const user = await member();
      const message = await posted(user, { text: 'oops' });
      const res = await user.agent.delete(`/api/v1/messages/${message.id}`);
      expect(res.status).toBe(204);
      expect((await pageOf(user, dayRoom(user))).items).toEqual([]);
      await expectBalanceAndLedger(user, 99);
      expectError(
        await user.agent.delete(`/api/v1/messages/${message.id}`),
        404,
        'NOT_FOUND',
        'No such message',
      );
    });

    it('refuses another member (403) and lets an admin delete (204)', async () => {
      const birthDate = freshBirthDate();
      const [author, other] = [await member(birthDate), await member(birthDate)];
      const admin = await signUpAdmin(t, { birthDate: freshBirthDate() });
      const message = await posted(author, { text: 'moderate me' });
      expectError(
        await other.agent.delete(`/api/v1/messages/${message.id}`),
        403,
        'FORBIDDEN',
        'Only the author or an admin may delete a message',
      );
      expect((await pageOf(author, dayRoom(author))).items).toHaveLength(1);
      expect((await admin.agent.delete(`/api/v1/messages/${message.id}`)).status).toBe(204);
      expect((await pageOf(author, dayRoom(author))).items).toEqual([]);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const user = await member();
      expectError(
        await user.agent.delete(`/api/v1/messages/${OLDEST}`),
        404,
        'NOT_FOUND',
        'No such message',
      );
      const res = await user.agent.delete('/api/v1/messages/nope');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
    });
  });
});

describe('messages: rate limit, free messages and retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { MESSAGE_RATE_PER_MINUTE: '3', MESSAGE_COST: '0', MESSAGE_RETENTION_HOURS: '48' },
    });
  });

  afterEach(() => {
    t.clock.reset();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('limits posts per user to MESSAGE_RATE_PER_MINUTE: then 429 with Retry-After, and again after the minute', async () => {
    const user = await signUp(t, { birthDate: freshBirthDate() });
    const first = await posted(user, { text: 'a', clientMessageId: 'k1' });
    await posted(user, { text: 'b' });
    await posted(user, { text: 'c' });

    const res = await postIn(user, dayRoom(user), { text: 'd' });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ error: 'RATE_LIMITED' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // A repeat is answered before the limit is counted: it is not a new post.
    expect(await posted(user, { text: 'a', clientMessageId: 'k1' })).toEqual(first);

    const other = await signUp(t, { birthDate: user.birthDate });
    await posted(other, { text: 'counted per user' });

    t.clock.advance(61_000);
    await posted(await refreshSession(user), { text: 'e' });
  });

  it('charges nothing when MESSAGE_COST is 0', async () => {
    const user = await signUp(t, { birthDate: freshBirthDate() });
    await posted(user, { text: 'free' });
    const entries = await expectBalanceAndLedger(user, 100);
    expect(entries.map((e) => e.reason)).toEqual(['signup']);
  });

  it('keeps messages MESSAGE_RETENTION_HOURS by a TTL index on createdAt', async () => {
    const ttl = (await indexesOf(t)).filter((index) => index.expireAfterSeconds !== undefined);
    expect(ttl).toEqual([
      expect.objectContaining({ key: { createdAt: 1 }, expireAfterSeconds: 48 * 3600 }),
    ]);
  });
});

describe('messages: a changed MESSAGE_RETENTION_HOURS', () => {
  let dir: string | undefined;

  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function ttlOf(t: TestApp): Promise<(number | undefined)[]> {
    return (await indexesOf(t))
      .filter((index) => index.expireAfterSeconds !== undefined)
      .map((index) => index.expireAfterSeconds);
  }

  it('rebuilds the TTL index with the new value at the next start, keeping the messages', async () => {
    if (process.env.MONGO_URL) return; // each app gets a database of its own there
    dir = await mkdtemp(join(tmpdir(), 'messages-retention-'));
    const EMBEDDED_MONGO_DATA = join(dir, 'db.bson');

    const first = await createTestApp({ env: { EMBEDDED_MONGO_DATA } });
    let user: TestSession;
    try {
      expect(await ttlOf(first)).toEqual([24 * 3600]);
      user = await signUp(first, { birthDate: freshBirthDate() });
      await posted(user, { text: 'kept across the restart' });
    } finally {
      await closeAll(first);
    }

    const second = await createTestApp({
      env: { EMBEDDED_MONGO_DATA, MESSAGE_RETENTION_HOURS: '72' },
    });
    try {
      expect(await ttlOf(second)).toEqual([72 * 3600]);
      const count = await second.app
        .get<Connection>(getConnectionToken())
        .collection('messages')
        .countDocuments({ authorId: new Types.ObjectId(user.id) });
      expect(count).toBe(1);
    } finally {
      await closeAll(second);
    }
  });
});
