import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** A forked bench process (its own event loop, apart from the server under test). */
export interface BenchChild<M extends { readonly type: string }> {
  /** Sends a command and resolves with the answer of type `expected`; `failed` rejects. */
  ask<T extends M['type']>(command: object, expected: T): Promise<Extract<M, { type: T }>>;
  stop(): void;
}

function nextMessage<M>(child: ChildProcess, name: string): Promise<M> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M): void => {
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`the ${name} exited (code ${String(code)})`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Forks `bench/support/<file>` through ts-node with SWC and waits for its `ready`. Each command
 * gets one answer; an answer `{type: 'failed', message}` rejects.
 */
export async function startBenchChild<M extends { readonly type: string }>(
  file: string,
  name: string,
): Promise<BenchChild<M>> {
  const child = fork(
    require.resolve('ts-node/dist/bin'),
    ['--swc', join(__dirname, file)],
    // Not this process's execArgv: under ts-node that names ts-node's bin again.
    { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const ready = await nextMessage<{ type: string }>(child, name);
  if (ready.type !== 'ready') throw new Error(`the ${name} said ${ready.type} first`);
  return {
    async ask(command, expected) {
      const answer = nextMessage<M | { type: 'failed'; message: string }>(child, name);
      child.send(command);
      const message = await answer;
      if (message.type === expected) return message as Extract<M, { type: typeof expected }>;
      throw new Error(
        message.type === 'failed'
          ? `the ${name} failed: ${(message as { message: string }).message}`
          : `the ${name} answered ${message.type} to ${(command as { type?: string }).type ?? '?'}`,
      );
    },
    stop() {
      if (child.connected) child.disconnect();
    },
  };
}
