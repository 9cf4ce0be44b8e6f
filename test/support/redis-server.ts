import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './child-process';

/** A throwaway redis-server owned by one test run: no persistence, bound to 127.0.0.1. */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
const PORT_ATTEMPTS = 5;

export const MISSING_REDIS_SERVER =
  'The end-to-end tests start their own Redis, but no `redis-server` binary is on PATH. ' +
  'Install it (Debian/Ubuntu: `apt-get install redis-server`, the Debian package `redis-server`; ' +
  'macOS: `brew install redis`), or set REDIS_URL to a Redis the tests may use.';

/** The redis-server binary on PATH, or undefined. */
export function findRedisServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Whether something answers PONG on the port (one short attempt). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts redis-server from PATH on a free port of 127.0.0.1 and resolves once it answers PING.
 * The child never keeps Node alive on its own (it is unref'd) and is killed if the process exits
 * without calling stop().
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const binary = findRedisServer();
  if (binary === undefined) throw new Error(MISSING_REDIS_SERVER);
  const dir = await mkdtemp(join(tmpdir(), 'dobkonektor-redis-'));
  let lastFailure = '';
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    const logFile = join(dir, `redis-${attempt}.log`);
    // prettier-ignore
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--dir', dir,
      '--logfile', logFile,
    ];
    const child = spawn(binary, args, { stdio: 'ignore' });
    child.unref();
    const killOnExit = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    let spawnError: Error | undefined;
    child.once('error', (error) => (spawnError = error));

    const deadline = Date.now() + START_TIMEOUT_MS;
    let ready = false;
    while (!ready && spawnError === undefined && child.exitCode === null && Date.now() < deadline) {
      ready = await answersPing(port);
      if (!ready) await sleep(25);
    }
    if (ready && child.exitCode === null) {
      const stop = async (): Promise<void> => {
        await stopChild(child);
        process.removeListener('exit', killOnExit);
        await rm(dir, { recursive: true, force: true });
      };
      return { url: `redis://127.0.0.1:${port}`, port, stop };
    }
    await stopChild(child);
    process.removeListener('exit', killOnExit);
    const log = readLog(logFile);
    lastFailure = spawnError
      ? `${binary}: ${spawnError.message}`
      : Date.now() >= deadline
        ? `${binary} did not answer PING on port ${port} within ${START_TIMEOUT_MS} ms\n${log}`
        : `${binary} exited (code ${String(child.exitCode)}) on port ${port}\n${log}`;
    // Only a port taken between freePort() and redis-server's bind is worth another attempt.
    if (!/address already in use/i.test(log)) break;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`Could not start the tests' own redis-server: ${lastFailure}`);
}
