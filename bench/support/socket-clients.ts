/**
 * The Socket.IO clients of bench/realtime.bench.ts, in their own process (forked by
 * `startSocketClients` in socket-load.ts), so that receiving and timing the deliveries never
 * shares an event loop with the server under test. It holds N sockets in one room, one of which
 * posts at a fixed rate; poster and receivers share this process's clock, so each delivery's
 * latency is its arrival time here minus the time its post was sent from here.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { percentile } from './latency';

/** Connects one socket per token (`auth: {token}`), each then joining `roomKey` (acked). */
export interface ConnectCommand {
  readonly type: 'connect';
  readonly url: string;
  readonly tokens: readonly string[];
  readonly roomKey: string;
}

/**
 * The first socket posts `message:send` at `rate` per second for `warmupMs + durationMs`; only the
 * last `durationMs` is measured, then deliveries are awaited for at most `drainMs`.
 */
export interface RunCommand {
  readonly type: 'run';
  readonly rate: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly drainMs: number;
  readonly text: string;
}

export interface CloseCommand {
  readonly type: 'close';
}

export type ClientsCommand = ConnectCommand | RunCommand | CloseCommand;

export interface DeliveryFigures {
  readonly sockets: number;
  readonly seconds: number;
  /** Posts sent within the measured window, and those the server did not ack `ok: true`. */
  readonly posts: number;
  readonly postErrors: number;
  /** Deliveries (`message:new` on any socket, poster included) that arrived within the window. */
  readonly deliveries: number;
  readonly deliveriesPerSecond: number;
  /** Deliveries of the window's posts expected (posts × sockets) and never seen by the drain's end. */
  readonly expected: number;
  readonly missing: number;
  /** Post-to-delivery latency of the window's posts, over every socket. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** This process's CPU time over the measured window, as a share of one core (1 = saturated). */
  readonly clientCpu: number;
  /** Post-to-ack latency of the window's posts (the server stored and answered the post). */
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
}

export type ClientsMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'connected'; readonly sockets: number; readonly ms: number }
  | { readonly type: 'figures'; readonly figures: DeliveryFigures }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string };

interface Answer {
  ok: boolean;
  error?: { code?: string; message?: string };
}

interface Delivered {
  message?: { clientMessageId?: unknown };
}

const CONNECTS_IN_FLIGHT = 25;
const ACK_TIMEOUT_MS = 15_000;

const sockets: Socket[] = [];
let roomKey = '';
let runs = 0;
/** Called on every `message:new`, whichever socket got it (set per run). */
let onDelivery: (clientMessageId: unknown, at: number) => void = () => undefined;

function describeAnswer(answer: Answer): string {
  return `${answer.error?.code ?? '?'}: ${answer.error?.message ?? JSON.stringify(answer)}`;
}

async function connectOne(url: string, token: string): Promise<Socket> {
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      resolve();
    });
    socket.once('connect_error', (error) => {
      reject(error);
    });
  });
  socket.on('message:new', (payload: Delivered) => {
    onDelivery(payload.message?.clientMessageId, performance.now());
  });
  const answer = (await socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('room:join', { roomKey })) as Answer;
  if (!answer.ok) throw new Error(`room:join answered ${describeAnswer(answer)}`);
  return socket;
}

async function connect(command: ConnectCommand): Promise<{ sockets: number; ms: number }> {
  const started = performance.now();
  roomKey = command.roomKey;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < command.tokens.length) {
      const token = command.tokens[next++];
      await connectOne(command.url, token);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(CONNECTS_IN_FLIGHT, command.tokens.length) }, worker),
  );
  return { sockets: sockets.length, ms: performance.now() - started };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function run(command: RunCommand): Promise<DeliveryFigures> {
  const poster = sockets.at(0);
  if (poster === undefined) throw new Error('no socket is connected');
  const prefix = `bench-${++runs}-`;
  const intervalMs = 1000 / command.rate;
  const warmupPosts = Math.round((command.warmupMs / 1000) * command.rate);
  const totalPosts = warmupPosts + Math.round((command.durationMs / 1000) * command.rate);
  /** Send time of each post, by sequence number. */
  const sentAt = new Float64Array(totalPosts).fill(Number.NaN);
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let deliveries = 0;
  let postErrors = 0;
  let firstError: string | undefined;
  let settled: () => void = () => undefined;
  const expected = (totalPosts - warmupPosts) * sockets.length;
  const allDelivered = new Promise<void>((resolve) => (settled = resolve));

  onDelivery = (clientMessageId, at) => {
    if (at >= windowStart && at <= windowEnd) deliveries++;
    if (typeof clientMessageId !== 'string' || !clientMessageId.startsWith(prefix)) return;
    const seq = Number(clientMessageId.slice(prefix.length));
    if (seq < warmupPosts) return;
    latencies.push(at - sentAt[seq]);
    if (latencies.length === expected) settled();
  };

  let cpuAtStart = process.cpuUsage();
  const post = (seq: number): void => {
    if (seq === warmupPosts) {
      windowStart = performance.now();
      cpuAtStart = process.cpuUsage();
    }
    sentAt[seq] = performance.now();
    poster
      .timeout(ACK_TIMEOUT_MS)
      .emit(
        'message:send',
        { roomKey, text: command.text, clientMessageId: `${prefix}${seq}` },
        (error: Error | null, answer: Answer | undefined) => {
          if (seq < warmupPosts) return;
          if (error === null && answer?.ok === true) {
            ackLatencies.push(performance.now() - sentAt[seq]);
            return;
          }
          postErrors++;
          firstError ??= error === null ? describeAnswer(answer ?? { ok: false }) : error.message;
        },
      );
  };

  // Each post at its own time on a fixed schedule; a late timer sends every post already due.
  const started = performance.now();
  let seq = 0;
  while (seq < totalPosts) {
    await delay(started + seq * intervalMs - performance.now());
    const now = performance.now();
    while (seq < totalPosts && started + seq * intervalMs <= now) post(seq++);
  }
  windowEnd = started + totalPosts * intervalMs;
  await delay(windowEnd - performance.now());
  const seconds = (windowEnd - windowStart) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  await Promise.race([allDelivered, delay(command.drainMs)]);
  // Acks of the last posts may still be on their way: a short grace before counting errors.
  await delay(Math.min(1000, command.drainMs));
  onDelivery = () => undefined;
  if (firstError !== undefined) process.stderr.write(`first failed post: ${firstError}\n`);

  const sorted = latencies.sort((a, b) => a - b);
  const acks = ackLatencies.sort((a, b) => a - b);
  return {
    sockets: sockets.length,
    seconds,
    posts: totalPosts - warmupPosts,
    postErrors,
    deliveries,
    deliveriesPerSecond: deliveries / seconds,
    expected,
    missing: expected - sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    clientCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    ackP50Ms: percentile(acks, 50),
    ackP99Ms: percentile(acks, 99),
  };
}

function closeAll(): void {
  for (const socket of sockets.splice(0)) socket.close();
  onDelivery = () => undefined;
}

function send(message: ClientsMessage): void {
  process.send?.(message);
}

function fail(error: unknown): void {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}

function isCommand(message: unknown): message is ClientsCommand {
  return typeof message === 'object' && message !== null && 'type' in message;
}

if (process.send === undefined) {
  process.stderr.write('socket-clients.ts runs as a forked child: see startSocketClients()\n');
  process.exit(2);
}
process.on('message', (message: unknown) => {
  if (!isCommand(message)) return;
  switch (message.type) {
    case 'connect':
      connect(message).then((done) => {
        send({ type: 'connected', ...done });
      }, fail);
      break;
    case 'run':
      run(message).then((figures) => {
        send({ type: 'figures', figures });
      }, fail);
      break;
    case 'close':
      closeAll();
      send({ type: 'closed' });
      break;
  }
});
process.on('disconnect', () => {
  closeAll();
  process.exit(0);
});
send({ type: 'ready' });
