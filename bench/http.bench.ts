/**
 * What does the framework cost on a hot authenticated read? Starts the real app in-process (as the
 * e2e suites do) on a database in a process of its own, as in production (MONGO_URL's when set,
 * else the embedded store forked by bench/support/store-server.ts) and, beside it in the same
 * process, a bare Express 5 app on a port of its own
 * whose one handler does by hand what GET /api/v1/rooms/:key/messages does: the HS256 check of the
 * Bearer token with the app's own secret, the session check (the session and its user read, and
 * trusted for the SessionGate's two seconds), the membership check (the caller's user document),
 * the newest page of the room's messages of the last 24 hours (the same filter, sort and limit as
 * MessagesRepository.pageBefore) and its authors' public views, over the app's own Mongoose
 * connection to the same store. Both must answer the same body; then a load generator in its own
 * process loads each for RUN_MS with CONCURRENCY keep-alive connections, the two in turns of
 * SLICE_MS so that the rest of the machine's load weighs on both alike. The app must serve at
 * least MIN_RATIO times the baseline's requests per second; exits 1 otherwise.
 *
 *   npm run bench:http
 */
import { getConnectionToken } from '@nestjs/mongoose';
import express, { type Request, type Response } from 'express';
import { verify } from 'jsonwebtoken';
import { type Collection, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { ACCESS_TOKEN_SECRET, verificationKey } from '@app/auth';
import { avatarUrlOf, parseRoomKey } from '@app/users';
import { createTestApp, signUp, type TestApp, type TestSession } from '../test/support';
import { formatFigures, type LoadFigures } from './support/latency';
import { type LoadGenerator, startLoadGenerator } from './support/load';
import { startStoreServer } from './support/socket-load';

const CONCURRENCY = 16;
const WARMUP_MS = 1_000;
const RUN_MS = 5_000;
/** The two servers are loaded alternately, this long each turn, RUN_MS each in all. */
const SLICE_MS = 500;
const MIN_RATIO = 0.5;
/** Members of one room (the same birth date) who post in it, in turn. */
const AUTHORS = 4;
/** More than a page (DEFAULT_PAGE_SIZE, 50), so that the page is full and has a next cursor. */
const MESSAGES = 60;
const BIRTH_DATE = '1990-05-17';
const ROOM_KEY = `day-${BIRTH_DATE}`;
const PATH = `/api/v1/rooms/${ROOM_KEY}/messages`;

// The rules the baseline repeats, as the app states them: the page size (DEFAULT_PAGE_SIZE), the
// conversation window (CONVERSATION_WINDOW_MS), the SessionGate's cache time (CACHE_MS), the skew
// allowed on a token's iat (CLOCK_SKEW_SECONDS) and the session id's shape.
const PAGE_SIZE = 50;
const CONVERSATION_WINDOW_MS = 24 * 3_600_000;
const SESSION_CACHE_MS = 2_000;
const CLOCK_SKEW_SECONDS = 30;
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const OBJECT_ID_HEX = /^[0-9a-f]{24}$/;

interface UserDoc {
  _id: ObjectId;
  displayName: string;
  avatarHash: string | null;
  bio: string;
  rooms: string[];
  role: string;
  banned: boolean;
}

interface SessionDoc {
  _id: string;
  userId: ObjectId;
  expiresAt: Date;
  revokedAt: Date | null;
}

interface MessageDoc {
  _id: ObjectId;
  roomKey: string;
  authorId: ObjectId;
  text: string;
  clientMessageId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

interface Caller {
  id: string;
  role: string;
}

interface Baseline {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The bare Express 5 app: one route, no middleware, the app's checks and queries written out
 * against the driver's collections of the app's own connection.
 */
async function startBaseline(t: TestApp): Promise<Baseline> {
  const db = t.app.get<Connection>(getConnectionToken()).db;
  if (db === undefined) throw new Error('the app has no database connection');
  const users: Collection<UserDoc> = db.collection<UserDoc>('users');
  const sessions: Collection<SessionDoc> = db.collection<SessionDoc>('sessions');
  const messages: Collection<MessageDoc> = db.collection<MessageDoc>('messages');
  const secret = verificationKey(t.app.get<string>(ACCESS_TOKEN_SECRET));
  const ttlSeconds = t.config.get('ACCESS_TOKEN_TTL_SECONDS');
  const admitted = new Map<string, { caller: Caller; until: number }>();

  /** The caller of a valid token whose session is open, or null (401). */
  const authenticate = async (req: Request): Promise<Caller | null> => {
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!bearer) return null;
    let payload: unknown;
    try {
      payload = verify(bearer[1], secret, { algorithms: ['HS256'], ignoreExpiration: true });
    } catch {
      return null;
    }
    if (typeof payload !== 'object') return null;
    const { sub, sid, iat, exp } = payload as Record<string, unknown>;
    const now = Date.now();
    const nowSeconds = Math.floor(now / 1000);
    if (!Number.isInteger(iat) || !Number.isInteger(exp)) return null;
    if ((exp as number) <= nowSeconds || (iat as number) > nowSeconds + CLOCK_SKEW_SECONDS) {
      return null;
    }
    if ((exp as number) - (iat as number) > ttlSeconds) return null;
    if (typeof sub !== 'string' || !OBJECT_ID_HEX.test(sub)) return null;
    if (typeof sid !== 'string' || !SESSION_ID.test(sid)) return null;

    const cached = admitted.get(sid);
    if (cached && cached.until > now && cached.caller.id === sub) return cached.caller;
    const [session, user] = await Promise.all([
      sessions.findOne({ _id: sid }, { projection: { userId: 1, expiresAt: 1, revokedAt: 1 } }),
      users.findOne({ _id: new ObjectId(sub) }),
    ]);
    if (!session || session.userId.toHexString() !== sub || !user || user.banned) return null;
    if (session.revokedAt || session.expiresAt <= new Date()) return null;
    const caller: Caller = { id: sub, role: user.role };
    admitted.set(sid, { caller, until: now + SESSION_CACHE_MS });
    return caller;
  };

  const app = express();
  app.get('/api/v1/rooms/:key/messages', async (req: Request, res: Response) => {
    const caller = await authenticate(req);
    if (!caller) {
      res.status(401).json({ code: 'UNAUTHORIZED' });
      return;
    }
    const room = parseRoomKey(req.params.key as string);
    if (!room) {
      res.status(404).json({ code: 'NOT_FOUND' });
      return;
    }
    if (caller.role !== 'admin') {
      const user = await users.findOne({ _id: new ObjectId(caller.id) });
      if (!user) {
        res.status(404).json({ code: 'NOT_FOUND' });
        return;
      }
      if (!user.rooms.includes(room.key)) {
        res.status(403).json({ code: 'FORBIDDEN' });
        return;
      }
    }
    const since = new Date(Date.now() - CONVERSATION_WINDOW_MS);
    const rows = await messages
      .find({ roomKey: room.key, createdAt: { $gt: since } })
      .sort({ _id: -1 })
      .limit(PAGE_SIZE + 1)
      .toArray();
    const page = rows.slice(0, PAGE_SIZE);
    const authorIds = [...new Set(page.map((m) => m.authorId.toHexString()))];
    const authors = new Map(
      (await users.find({ _id: { $in: authorIds.map((id) => new ObjectId(id)) } }).toArray()).map(
        (u) => {
          const id = u._id.toHexString();
          const { displayName, banned, avatarHash, bio } = u;
          const avatarUrl = avatarUrlOf({ id, displayName, banned, avatarHash });
          return [id, { id, displayName, avatarUrl, bio }];
        },
      ),
    );
    const items = page.map((m) => {
      const authorId = m.authorId.toHexString();
      return {
        id: m._id.toHexString(),
        roomKey: m.roomKey,
        author: authors.get(authorId) ?? {
          id: authorId,
          displayName: 'Deleted user',
          avatarUrl: null,
          bio: '',
        },
        text: m.text,
        clientMessageId: m.clientMessageId,
        createdAt: m.createdAt.toISOString(),
        expiresAt: m.expiresAt.toISOString(),
      };
    });
    const nextCursor = rows.length > PAGE_SIZE ? items[items.length - 1].id : null;
    res.json({ items, nextCursor });
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error) reject(error);
      else resolve(listening);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** The status and parsed body of one GET, on a connection of its own (closed after). */
function getJson(url: string, token: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** AUTHORS members of one room, and MESSAGES messages they posted there in turn. */
async function seed(t: TestApp): Promise<TestSession> {
  const members: TestSession[] = [];
  for (let i = 0; i < AUTHORS; i++) {
    members.push(await signUp(t, { birthDate: BIRTH_DATE, displayName: `Author ${i + 1}` }));
  }
  for (let i = 0; i < MESSAGES; i++) {
    const res = await t.http
      .post(PATH)
      .set(members[i % AUTHORS].auth)
      .send({ text: `Message ${i + 1}: happy birthday to everyone born on this day!` });
    if (res.status !== 201) {
      throw new Error(`posting answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }
  return members[0];
}

/** Both answer the reader the same full page: the baseline does the app's work, no less. */
async function checkSameAnswer(appUrl: string, baselineUrl: string, token: string): Promise<void> {
  const [fromApp, fromBaseline] = await Promise.all([
    getJson(appUrl, token),
    getJson(baselineUrl, token),
  ]);
  if (fromApp.status !== 200) {
    throw new Error(`the app answered ${fromApp.status}: ${JSON.stringify(fromApp.body)}`);
  }
  const page = fromApp.body as { items?: unknown[]; nextCursor?: unknown };
  if (page.items?.length !== PAGE_SIZE || page.nextCursor === null) {
    throw new Error(`the app answered no full page: ${JSON.stringify(fromApp.body)}`);
  }
  if (fromBaseline.status !== 200 || !isDeepStrictEqual(fromApp.body, fromBaseline.body)) {
    throw new Error(
      `the baseline answered otherwise (${fromBaseline.status}): ${JSON.stringify(fromBaseline.body)}`,
    );
  }
}

async function measure(
  t: TestApp,
  baseline: Baseline,
  load: LoadGenerator,
): Promise<{ app: LoadFigures; bare: LoadFigures }> {
  const reader = await seed(t);
  const appUrl = `${t.baseUrl}${PATH}`;
  const baselineUrl = `${baseline.baseUrl}${PATH}`;
  await checkSameAnswer(appUrl, baselineUrl, reader.accessToken);
  const run = (durationMs: number): Promise<readonly LoadFigures[]> =>
    load.run({
      urls: [appUrl, baselineUrl],
      headers: { authorization: `Bearer ${reader.accessToken}` },
      concurrency: CONCURRENCY,
      durationMs,
      sliceMs: SLICE_MS,
    });
  // Warm up both routes, the connections and the store's caches before anything is counted.
  await run(WARMUP_MS);
  const [app, bare] = await run(RUN_MS);
  return { app, bare };
}

async function main(): Promise<void> {
  // The database runs apart from the app, as in production: MONGO_URL's, else the embedded store
  // in a process of its own.
  const store = process.env.MONGO_URL ? undefined : await startStoreServer();
  const t = await createTestApp({
    env: { RATE_LIMITS: 'off', ...(store ? { MONGO_URL: store.uri } : {}) },
  });
  let baseline: Baseline | undefined;
  let load: LoadGenerator | undefined;
  try {
    baseline = await startBaseline(t);
    load = await startLoadGenerator();
    const { app, bare } = await measure(t, baseline, load);
    const ratio = app.perSecond / bare.perSecond;
    console.log(
      `http: authenticated GET ${PATH} (a full page of ${PAGE_SIZE}, ${AUTHORS} authors), ` +
        `${CONCURRENCY} keep-alive connections from another process, ${RUN_MS / 1000} s each ` +
        `in alternate turns of ${SLICE_MS} ms`,
    );
    console.log(formatFigures('app (Nest)', app));
    console.log(formatFigures('bare Express 5, same work', bare));
    console.log(
      `  app req/s / bare req/s: ${ratio.toFixed(2)}x (at least ${MIN_RATIO}x expected); ` +
        `p99 ${(app.p99Ms / bare.p99Ms).toFixed(2)}x the bare p99`,
    );
    if (!(ratio >= MIN_RATIO) || app.errors > 0 || bare.errors > 0) process.exitCode = 1;
  } finally {
    load?.stop();
    await baseline?.close();
    await t.close();
    store?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
