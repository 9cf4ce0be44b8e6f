import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const TS_NODE = join(ROOT, 'node_modules/ts-node/dist/bin.js');
const PATHS_HOOK = require.resolve('tsconfig-paths/register');

export interface RunningProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited(): Promise<number | null>;
}

/**
 * Runs a TypeScript entry point of this repository the way `npm start` does, from `cwd` (so a
 * developer's own .env in the repository never leaks into a test).
 */
export function spawnTypeScript(
  script: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): RunningProcess {
  const child = spawn(
    process.execPath,
    [TS_NODE, '--swc', '-r', PATHS_HOOK, join(ROOT, script), ...args],
    {
      cwd: options.cwd,
      env: { ...options.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);

  const waitForOutput = (pattern: RegExp, timeoutMs = 30000): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const stop = (): void => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.off('exit', onExit);
      };
      const fail = (reason: string): void => {
        stop();
        reject(new Error(`${reason} before output matched ${String(pattern)}\n${out}\n${err}`));
      };
      const check = (): void => {
        const match = pattern.exec(out);
        if (match === null) return;
        stop();
        resolve(match);
      };
      const onExit = (): void => {
        fail('the process exited');
      };
      const timer = setTimeout(() => {
        fail(`${timeoutMs} ms passed`);
      }, timeoutMs);
      child.stdout.on('data', check);
      child.once('exit', onExit);
      check();
      if (child.exitCode !== null) onExit();
    });

  return { child, stdout: () => out, stderr: () => err, exited: () => exit, waitForOutput };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export function minimalEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return { PATH, HOME, ...extra };
}
