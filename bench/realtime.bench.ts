/**
 * Room fan-out of the Socket.IO gateway against a bare Socket.IO server. Starts the real app
 * in-process (as the e2e suites do: in-memory Socket.IO adapter and presence, no REDIS_URL) on a
 * database in a process of its own, as in production (MONGO_URL's when set, else the embedded
 * store forked by bench/support/store-server.ts) and, in the same process, a bare Socket.IO server of the same socket.io package (no
 * auth, no store) whose `message:send` handler broadcasts to the room a `message:new` shaped and
 * sized like the app's MessageDto, then acks. Against each in turn, a client process
 * (bench/support/socket-clients.ts, so the server's event loop is what is measured) connects
 * BENCH_SOCKETS sockets (default 1,000) that each join one room; one of them posts with
 * `message:send` over its socket (acked; not REST) at BENCH_RATE posts/s (default 20) for a 2 s
 * warm-up and BENCH_SECONDS measured seconds (default 10). Every socket, the poster's included,
 * gets each post: the offered load is rate x sockets deliveries/s (20,000). Printed for both:
 * `message:new` deliveries/s that arrived within the measured window (at the offered rate while a
 * server keeps up, below it when it falls behind), post-to-delivery latency p50/p99/max (sent and
 * received in the client process, on one clock), and the server heap per idle socket: heap used
 * after forced full GCs, after minus before the sockets connected and joined, over the sockets.
 * A second table shows where time goes: post-to-ack latency, server CPU per post, the server's
 * event-loop delay, the client process's CPU (near 100% it is the client that limits) and how
 * long connecting and joining took.
 *
 * The sockets belong to distinct users, all signed up over HTTP (POST /api/v1/auth/signup with one
 * multi-use invite, bcrypt cost 4 as in the e2e suites) with the same birth date, so they share
 * their day room. One user per socket, not one token for all: presence counts distinct users, so
 * each join is announced (`presence:update`) to the room as in production. Rate limits are off
 * (RATE_LIMITS=off) so one user may post 20 times a second; a post still costs MESSAGE_COST tokens
 * (the ledger write stays on the path), the poster starting with enough (SIGNUP_TOKENS).
 *
 * Targets, for the app: p99 under MAX_P99_MS, deliveries/s at least MIN_THROUGHPUT_RATIO of the
 * baseline's, heap per idle socket under MAX_HEAP_PER_SOCKET; exits 1 when one fails, or when a
 * post is refused or a delivery is missing. Figures are noisy on a small or busy machine.
 *
 *   npm run bench:realtime
 *   BENCH_SOCKETS=200 BENCH_RATE=50 BENCH_SECONDS=5 npm run bench:realtime
 *   BENCH_CPU_PROFILE=/tmp npm run bench:realtime   # also writes each run's server CPU profile
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Server } from 'socket.io';
import { Presence } from '@app/rooms';
import { createTestApp, inviteCode, signUp, type TestApp } from '../test/support';
import type { DeliveryFigures } from './support/socket-clients';
import { type SocketClients, startSocketClients, startStoreServer } from './support/socket-load';

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const SOCKETS = Math.round(positiveEnv('BENCH_SOCKETS', 1_000));
const RATE = positiveEnv('BENCH_RATE', 20);
const RUN_MS = positiveEnv('BENCH_SECONDS', 10) * 1000;
const WARMUP_MS = 2_000;
/** How long deliveries of the measured posts are awaited after the last one is sent. */
const DRAIN_MS = 5_000;
const SIGNUPS_IN_FLIGHT = 8;
/** Sockets connected, joined and closed once before the heap is measured (lazy code, caches). */
const WARM_SOCKETS = 20;
/** Pause after the last join, so the presence broadcasts it caused have been written. */
const SETTLE_MS = 1_000;
const BIRTH_DATE = '1990-05-17';
const ROOM_KEY = `day-${BIRTH_DATE}`;
/** A message of ordinary length (100 characters). */
const TEXT =
  'Happy birthday to all of you born on this day! Who is around tonight for a drink downtown?'.padEnd(
    100,
    '!',
  );
const MAX_P99_MS = 50;
const MIN_THROUGHPUT_RATIO = 0.8;
const MAX_HEAP_PER_SOCKET = 30 * 1024;
/** When set, a directory where each run's server CPU profile (.cpuprofile) is written. */
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE;

interface SendPayload {
  roomKey: string;
  text: string;
  clientMessageId?: string;
}

type Ack = (answer: object) => void;

interface BaselineClientEvents {
  'room:join': (payload: { roomKey: string }, ack: Ack) => void;
  'message:send': (payload: SendPayload, ack: Ack) => void;
}

interface BaselineServerEvents {
  'message:new': (payload: { message: object }) => void;
}

interface Target {
  readonly url: string;
  /** Resolves once the server holds none of the bench's sockets any more. */
  readonly gone: () => Promise<void>;
}

interface Outcome {
  readonly figures: DeliveryFigures;
  readonly heapPerSocket: number;
  readonly connectMs: number;
  /** Server CPU time (this process) per post over the whole run, warm-up and drain included. */
  readonly cpuMsPerPost: number;
  /** The server's event-loop delay over the whole run, p99 and max. */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(what: string, done: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(50);
  }
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap in use after full collections (and the finalizers they let run). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    collectGarbage();
    await delay(100);
  }
  return process.memoryUsage().heapUsed;
}

/**
 * The bare Socket.IO server: `room:join` joins, `message:send` broadcasts to the room a
 * `message:new` shaped (and sized) like the app's MessageDto and acks as the app does.
 */
async function startBaseline(): Promise<Target & { close(): Promise<void> }> {
  const http = createServer();
  const io = new Server<BaselineClientEvents, BaselineServerEvents>(http, {
    path: '/socket.io',
    serveClient: false,
  });
  let ids = 0;
  io.on('connection', (socket) => {
    socket.on('room:join', ({ roomKey }, ack) => {
      void socket.join(`room:${roomKey}`);
      ack({ ok: true, roomKey, online: io.sockets.adapter.rooms.get(`room:${roomKey}`)?.size });
    });
    socket.on('message:send', ({ roomKey, text, clientMessageId }, ack) => {
      const createdAt = new Date();
      const message = {
        id: (++ids).toString(16).padStart(24, '0'),
        roomKey,
        author: {
          id: socket.id.padEnd(24, '0'),
          displayName: 'Test User',
          avatarUrl: null,
          bio: '',
        },
        text,
        clientMessageId: clientMessageId ?? null,
        createdAt: createdAt.toISOString(),
        expiresAt: new Date(createdAt.getTime() + 86_400_000).toISOString(),
      };
      io.to(`room:${roomKey}`).emit('message:new', { message });
      ack({ ok: true, message, created: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gone: () => until('the baseline has no socket', () => io.engine.clientsCount === 0),
    close: () => io.close(),
  };
}

/** BENCH_SOCKETS users of one day room, signed up over HTTP; their access tokens. */
async function signUpMembers(t: TestApp): Promise<string[]> {
  const code = await inviteCode(t, SOCKETS);
  const tokens: string[] = [];
  const worker = async (): Promise<void> => {
    while (tokens.length < SOCKETS) {
      tokens.push('');
      const index = tokens.length - 1;
      const session = await signUp(t, {
        birthDate: BIRTH_DATE,
        inviteCode: code,
        displayName: `Member ${index}`,
      });
      tokens[index] = session.accessToken;
    }
  };
  await Promise.all(Array.from({ length: SIGNUPS_IN_FLIGHT }, worker));
  return tokens;
}

/** Profiles the server process while `work` runs, into PROFILE_DIR/realtime-<name>.cpuprofile. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (PROFILE_DIR === undefined) return work();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    await writeFile(join(PROFILE_DIR, `realtime-${name}.cpuprofile`), JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}

async function measure(
  name: string,
  target: Target,
  clients: SocketClients,
  tokens: readonly string[],
): Promise<Outcome> {
  await clients.connect({
    url: target.url,
    tokens: tokens.slice(0, WARM_SOCKETS),
    roomKey: ROOM_KEY,
  });
  await clients.close();
  await target.gone();

  const before = await settledHeap();
  const { ms: connectMs } = await clients.connect({ url: target.url, tokens, roomKey: ROOM_KEY });
  await delay(SETTLE_MS);
  const after = await settledHeap();

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const figures = await profiled(name, () =>
    clients.run({
      rate: RATE,
      warmupMs: WARMUP_MS,
      durationMs: RUN_MS,
      drainMs: DRAIN_MS,
      text: TEXT,
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  const posts = (RATE * (WARMUP_MS + RUN_MS)) / 1000;
  await clients.close();
  await target.gone();
  return {
    figures,
    heapPerSocket: (after - before) / tokens.length,
    connectMs,
    cpuMsPerPost: (cpu.user + cpu.system) / 1000 / posts,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  };
}

type Column = readonly [heading: string, cell: (o: Outcome) => string];

const ms = (value: number): string => value.toFixed(1);

/** What the targets are about. */
const RESULTS: readonly Column[] = [
  ['deliveries/s', (o) => o.figures.deliveriesPerSecond.toFixed(0)],
  ['p50 ms', (o) => ms(o.figures.p50Ms)],
  ['p99 ms', (o) => ms(o.figures.p99Ms)],
  ['max ms', (o) => ms(o.figures.maxMs)],
  ['missing', (o) => String(o.figures.missing)],
  ['post errors', (o) => `${o.figures.postErrors}/${o.figures.posts}`],
  ['KB/idle socket', (o) => (o.heapPerSocket / 1024).toFixed(1)],
];

/** Where the time goes: the server's own part (ack), its CPU and loop, the clients' CPU. */
const DIAGNOSTICS: readonly Column[] = [
  ['ack p50 ms', (o) => ms(o.figures.ackP50Ms)],
  ['ack p99 ms', (o) => ms(o.figures.ackP99Ms)],
  ['CPU ms/post', (o) => ms(o.cpuMsPerPost)],
  ['loop p99 ms', (o) => ms(o.loopP99Ms)],
  ['loop max ms', (o) => ms(o.loopMaxMs)],
  ['client CPU', (o) => `${(o.figures.clientCpu * 100).toFixed(0)}%`],
  ['connect s', (o) => (o.connectMs / 1000).toFixed(1)],
];

function table(columns: readonly Column[], rows: readonly [string, Outcome][]): string[] {
  const width = (heading: string): number => Math.max(heading.length + 2, 10);
  const line = (label: string, cells: string[]): string =>
    `  ${label.padEnd(22)}${cells.map((c, i) => c.padStart(width(columns[i][0]))).join('')}`;
  return [
    line(
      '',
      columns.map(([heading]) => heading),
    ),
    ...rows.map(([label, outcome]) =>
      line(
        label,
        columns.map(([, cell]) => cell(outcome)),
      ),
    ),
  ];
}

function verdict(holds: boolean, text: string): string {
  return `  ${holds ? 'ok  ' : 'FAIL'}  ${text}`;
}

async function main(): Promise<void> {
  // The database runs apart from the app, as in production: MONGO_URL's, else the embedded store
  // in a process of its own.
  const store = process.env.MONGO_URL ? undefined : await startStoreServer();
  const t = await createTestApp({
    env: {
      RATE_LIMITS: 'off',
      SIGNUP_TOKENS: '1000000',
      ...(store ? { MONGO_URL: store.uri } : {}),
    },
  });
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  let clients: SocketClients | undefined;
  try {
    baseline = await startBaseline();
    clients = await startSocketClients();
    const signupStarted = Date.now();
    const tokens = await signUpMembers(t);
    const signupSeconds = (Date.now() - signupStarted) / 1000;

    const presence = t.app.get(Presence);
    const app = await measure(
      'app',
      {
        url: t.baseUrl,
        gone: () =>
          until('the app has no one in the room', async () => {
            const [online] = await presence.counts([ROOM_KEY]);
            return online === 0;
          }),
      },
      clients,
      tokens,
    );
    const bare = await measure('baseline', baseline, clients, tokens);

    const ratio = app.figures.deliveriesPerSecond / bare.figures.deliveriesPerSecond;
    console.log(
      `realtime fan-out: ${SOCKETS} sockets of ${SOCKETS} users in one room, 1 of them posting ` +
        `${RATE}/s with message:send (${(RATE * SOCKETS).toFixed(0)} deliveries/s offered), ` +
        `${RUN_MS / 1000} s measured after ${WARMUP_MS / 1000} s warm-up, clients in another ` +
        `process (${SOCKETS} signups over HTTP took ${signupSeconds.toFixed(1)} s)`,
    );
    const rows: [string, Outcome][] = [
      ['app (memory adapter)', app],
      ['bare Socket.IO', bare],
    ];
    for (const line of table(RESULTS, rows)) console.log(line);
    console.log('  server side (ack = post to its ack; CPU and loop delay of the server process):');
    for (const line of table(DIAGNOSTICS, rows)) console.log(line);
    const p99 = app.figures.p99Ms;
    const heap = app.heapPerSocket;
    const clean = (o: Outcome): boolean => o.figures.missing === 0 && o.figures.postErrors === 0;
    const checks = [
      verdict(p99 < MAX_P99_MS, `app p99 ${p99.toFixed(1)} ms (under ${MAX_P99_MS} ms expected)`),
      verdict(
        ratio >= MIN_THROUGHPUT_RATIO,
        `app / baseline deliveries/s: ${ratio.toFixed(2)}x (at least ${MIN_THROUGHPUT_RATIO}x expected)`,
      ),
      verdict(
        heap < MAX_HEAP_PER_SOCKET,
        `app heap per idle socket: ${heap.toFixed(0)} bytes (under ${MAX_HEAP_PER_SOCKET} expected)`,
      ),
      verdict(clean(app) && clean(bare), 'every post acked ok, every delivery arrived'),
    ];
    for (const line of checks) console.log(line);
    if (checks.some((line) => line.startsWith('  FAIL'))) process.exitCode = 1;
  } finally {
    // The clients close their sockets and exit once disconnected.
    clients?.stop();
    await baseline?.close();
    await t.close();
    store?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
