import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
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

function nextMessage(child: ChildProcess): Promise<GeneratorMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: GeneratorMessage): void => {
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`the load generator exited (code ${String(code)})`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Forks bench/support/load-generator.ts (through ts-node with SWC) and waits until it is ready: its own
 * process and event loop, apart from the servers under test.
 */
export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = fork(
    require.resolve('ts-node/dist/bin'),
    ['--swc', join(__dirname, 'load-generator.ts')],
    // Not this process's execArgv: under ts-node that names ts-node's bin again.
    { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const ready = await nextMessage(child);
  if (ready.type !== 'ready') throw new Error(`the load generator said ${ready.type} first`);
  return {
    async run(options) {
      const answer = nextMessage(child);
      const { headers = {}, sliceMs = options.durationMs } = options;
      child.send({ type: 'run', ...options, headers, sliceMs } satisfies LoadRun);
      const message = await answer;
      if (message.type === 'figures') return message.figures;
      throw new Error(
        message.type === 'failed' ? `the load run failed: ${message.message}` : 'unexpected answer',
      );
    },
    stop() {
      if (child.connected) child.disconnect();
    },
  };
}
