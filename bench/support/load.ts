import { startBenchChild } from './child';
import type { LoadFigures } from './latency';
import type { GeneratorMessage, LoadRun } from './load-generator';

/** A run: `headers` default to none, `sliceMs` to `durationMs` (one turn per URL). */
export type LoadOptions = Omit<LoadRun, 'type' | 'headers' | 'sliceMs'> &
  Partial<Pick<LoadRun, 'headers' | 'sliceMs'>>;

export interface LoadGenerator {
  /** Loads each of `urls` in turn for `durationMs` in all; the figures in the order of `urls`. */
  run(options: LoadOptions): Promise<readonly LoadFigures[]>;
  stop(): void;
}

/**
 * Forks bench/support/load-generator.ts and waits until it is ready: its own process and event
 * loop, apart from the servers under test.
 */
export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = await startBenchChild<GeneratorMessage>('load-generator.ts', 'load generator');
  return {
    async run(options) {
      const { headers = {}, sliceMs = options.durationMs } = options;
      const run = { type: 'run', ...options, headers, sliceMs } satisfies LoadRun;
      return (await child.ask(run, 'figures')).figures;
    },
    stop: () => {
      child.stop();
    },
  };
}
