/**
 * The load generator's own process (forked by `startLoadGenerator` in load.ts), so the requests it
 * sends and times never share an event loop with the server they measure. It waits for `run`
 * messages and answers each with the figures of that run; node built-ins only.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type LoadFigures, summarise } from './latency';

export interface LoadRun {
  readonly type: 'run';
  /** The URL to GET, over and over. */
  readonly url: string;
  /** Requests in flight at once, each on its own keep-alive connection. */
  readonly concurrency: number;
  readonly durationMs: number;
}

export type GeneratorMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'figures'; readonly figures: LoadFigures }
  | { readonly type: 'failed'; readonly message: string };

/** Resolves with the latency in ms of one GET, or with `undefined` when it did not answer 2xx. */
function timedGet(url: URL, agent: Agent): Promise<number | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
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

/**
 * `concurrency` loops each send the next request as soon as the last one answers, until the
 * duration is over; requests still in flight then are waited for and counted.
 */
async function run({ url, concurrency, durationMs }: LoadRun): Promise<LoadFigures> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const latency = await timedGet(target, agent);
      if (latency === undefined) errors++;
      else latencies.push(latency);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return summarise(latencies, errors, seconds);
}

function send(message: GeneratorMessage): void {
  process.send?.(message);
}

function isLoadRun(message: unknown): message is LoadRun {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'run'
  );
}

if (process.send === undefined) {
  process.stderr.write('load-generator.ts runs as a forked child: see startLoadGenerator()\n');
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
