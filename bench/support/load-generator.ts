/**
 * The load generator's own process (forked by `startLoadGenerator` in load.ts), so the requests it
 * sends and times never share an event loop with the servers they measure. Its GETs may carry
 * headers (an `Authorization: Bearer …`), and servers compared in one run are loaded in turn,
 * slice after slice, so that whatever else the machine does meanwhile weighs on each about the
 * same. It waits for `run` messages and answers each with the figures of every URL; node
 * built-ins only.
 */
import { Agent, type OutgoingHttpHeaders, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type LoadFigures, summarise } from './latency';

export interface LoadRun {
  readonly type: 'run';
  /** The URLs to GET, each in its turn. */
  readonly urls: readonly string[];
  /** Sent with every request. */
  readonly headers: Readonly<Record<string, string>>;
  /** Requests in flight at once, each on its own keep-alive connection (one pool per URL). */
  readonly concurrency: number;
  /** How long each URL is loaded in all. */
  readonly durationMs: number;
  /** How long one turn lasts: each URL is loaded durationMs / sliceMs times, alternately. */
  readonly sliceMs: number;
}

export type GeneratorMessage =
  | { readonly type: 'ready' }
  /** In the order of the run's `urls`. */
  | { readonly type: 'figures'; readonly figures: readonly LoadFigures[] }
  | { readonly type: 'failed'; readonly message: string };

/** Resolves with the latency in ms of one GET, or with `undefined` when it did not answer 2xx. */
function timedGet(
  url: URL,
  agent: Agent,
  headers: OutgoingHttpHeaders,
): Promise<number | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
        resolve(ok ? performance.now() - started : undefined);
      });
      res.on('error', () => {
        resolve(undefined);
      });
    });
    req.on('error', () => {
      resolve(undefined);
    });
    req.end();
  });
}

interface Target {
  readonly url: URL;
  readonly agent: Agent;
  readonly latencies: number[];
  errors: number;
  /** Time under load, in ms, over all of this target's slices. */
  elapsedMs: number;
}

/**
 * One slice: `concurrency` loops each send the next request as soon as the last one answers,
 * until the slice is over; requests still in flight then are waited for and counted.
 */
async function slice(
  target: Target,
  concurrency: number,
  durationMs: number,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const latency = await timedGet(target.url, target.agent, headers);
      if (latency === undefined) target.errors++;
      else target.latencies.push(latency);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  target.elapsedMs += performance.now() - started;
}

async function run(options: LoadRun): Promise<LoadFigures[]> {
  const { urls, headers, concurrency, durationMs, sliceMs } = options;
  const targets: Target[] = urls.map((url) => ({
    url: new URL(url),
    agent: new Agent({ keepAlive: true, maxSockets: concurrency }),
    latencies: [],
    errors: 0,
    elapsedMs: 0,
  }));
  const slices = Math.max(1, Math.round(durationMs / sliceMs));
  try {
    for (let i = 0; i < slices; i++) {
      for (const target of targets) {
        await slice(target, concurrency, durationMs / slices, headers);
      }
    }
  } finally {
    for (const target of targets) target.agent.destroy();
  }
  return targets.map((t) => summarise(t.latencies, t.errors, t.elapsedMs / 1000));
}

function send(message: GeneratorMessage): void {
  process.send?.(message);
}

function isLoadRun(message: unknown): message is LoadRun {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'run' &&
    Array.isArray((message as { urls?: unknown }).urls)
  );
}

if (process.send === undefined) {
  process.stderr.write('load-generator.ts runs as a forked child: see load.ts\n');
  process.exit(2);
}
process.on('message', (message: unknown) => {
  if (!isLoadRun(message)) return;
  run(message).then(
    (figures) => {
      send({ type: 'figures', figures });
    },
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    },
  );
});
process.on('disconnect', () => {
  process.exit(0);
});
send({ type: 'ready' });
