import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  freePort,
  minimalEnv,
  type RunningProcess,
  spawnTypeScript,
} from './support/child-process';

const API_MAIN = 'apps/api/src/main.ts';
const PROBE_SERVER = 'test/support/probe-server.ts';
const CLI_MAIN = 'apps/cli/src/main.ts';

describe('the server and CLI processes', () => {
  let workDir: string;
  const started: RunningProcess[] = [];
  const run = (...args: Parameters<typeof spawnTypeScript>): RunningProcess => {
    const running = spawnTypeScript(...args);
    started.push(running);
    return running;
  };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'dobkonektor-process-'));
  });

  afterEach(() => {
    for (const { child } of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('refuses to start on bad configuration, naming each variable and printing no value', async () => {
    const env = minimalEnv({
      NODE_ENV: 'production',
      PORT: 'eighty',
      REDIS_URL: 'http://cache:6379/secret-path',
    });
    const server = run(API_MAIN, [], { cwd: workDir, env });
    expect(await server.exited()).toBe(1);
    expect(server.stderr()).toBe(
      [
        'Invalid configuration (values are not shown):',
        '  - PORT: must be an integer from 1 to 65535',
        '  - MONGO_URL: is required when NODE_ENV=production',
        '  - REDIS_URL: must be a URL starting with redis:// or rediss://',
        '  - JWT_SECRET: is required when NODE_ENV=production',
        '  - METRICS_TOKEN: is required when NODE_ENV=production',
        '',
      ].join('\n'),
    );
    expect(server.stdout()).toBe('');
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const port = await freePort();
    const dataFile = join(workDir, 'shutdown.bson');
    const env = minimalEnv({
      PORT: String(port),
      EMBEDDED_MONGO_DATA: dataFile,
      SHUTDOWN_TIMEOUT_MS: '8000',
    });
    const server = run(PROBE_SERVER, [], { cwd: workDir, env });
    await server.waitForOutput(/Listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(server.stdout()).toContain(
      'MONGO_URL is not set: using the embedded MongoDB-compatible store at mongodb://127.0.0.1:',
    );
    expect(server.stdout()).toContain(`persisting to ${dataFile}`);
    const base = `http://127.0.0.1:${port}`;

    const inFlight = request(base)
      .get('/api/v1/test-probes/slow?ms=1500')
      .then((res) => res);
    await waitUntilInFlight(base);
    server.child.kill('SIGTERM');
    await server.waitForOutput(/SIGTERM received/);
    await expect(request(base).get('/health/live').timeout(2000)).rejects.toThrow(
      /ECONNREFUSED|ECONNRESET|socket hang up/,
    );

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ waitedMs: 1500 });
    expect(await server.exited()).toBe(0);
    expect(server.stdout()).toContain('Database connection closed, embedded store stopped');
    expect(server.stdout()).toContain('Shutdown complete');
  });

  it('on SIGTERM closes idle keep-alive connections and answers those in use with Connection: close', async () => {
    const port = await freePort();
    const env = minimalEnv({
      PORT: String(port),
      EMBEDDED_MONGO_DATA: join(workDir, 'keep-alive.bson'),
      SHUTDOWN_TIMEOUT_MS: '8000',
    });
    const server = run(PROBE_SERVER, [], { cwd: workDir, env });
    await server.waitForOutput(/Listening on http:\/\/127\.0\.0\.1:\d+/);
    const base = `http://127.0.0.1:${port}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const warmUp = await fetchVia(agent, port, '/health/live');
      expect(warmUp.headers.connection).toBe('keep-alive');
      const idle = connect(port, '127.0.0.1');
      await once(idle, 'connect');
      idle.write('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      await once(idle, 'data');
      const idleClosed = once(idle, 'close');

      const slow = fetchVia(agent, port, '/api/v1/test-probes/slow?ms=1500');
      await waitUntilInFlight(base);
      server.child.kill('SIGTERM');
      await server.waitForOutput(/SIGTERM received/);
      await idleClosed;
      const res = await slow;
      expect(res).toMatchObject({ status: 200, body: '{"waitedMs":1500}' });
      expect(res.headers.connection).toBe('close');
      expect(await server.exited()).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('cuts a request that outlives SHUTDOWN_TIMEOUT_MS and still exits 0 within the bound', async () => {
    const port = await freePort();
    const env = minimalEnv({
      PORT: String(port),
      EMBEDDED_MONGO_DATA: join(workDir, 'bound.bson'),
      SHUTDOWN_TIMEOUT_MS: '300',
    });
    const server = run(PROBE_SERVER, [], { cwd: workDir, env });
    await server.waitForOutput(/Listening on http:\/\/127\.0\.0\.1:\d+/);
    const base = `http://127.0.0.1:${port}`;
    const stuck = request(base)
      .get('/api/v1/test-probes/slow?ms=20000')
      .then(
        () => 'answered',
        (error: unknown) => String((error as { message?: unknown }).message),
      );
    await waitUntilInFlight(base);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    expect(await stuck).toMatch(/socket hang up|ECONNRESET/);
    expect(server.stdout()).toContain(
      'Requests still open after 300 ms: closing their connections',
    );
    expect(server.stdout()).toContain('Shutdown complete');
  });

  it('runs the CLI check command with variables from a .env file in its working directory', async () => {
    const cliDir = await mkdtemp(join(workDir, 'cli-'));
    await writeFile(join(cliDir, '.env'), 'PORT=4000\n');
    const env = minimalEnv({ EMBEDDED_MONGO_DATA: join(cliDir, 'cli.bson'), LOG_LEVEL: 'error' });
    const cli = run(CLI_MAIN, ['check'], { cwd: cliDir, env });
    expect(await cli.exited()).toBe(0);
    expect(cli.stdout()).toContain(
      [
        'Configuration is valid:',
        '  NODE_ENV: default',
        '  PORT: set',
        '  HOST: unset',
        '  LOG_LEVEL: set',
        '  MONGO_URL: unset',
        '  EMBEDDED_MONGO_DATA: set',
      ].join('\n'),
    );
    expect(cli.stdout()).toContain('Database answers (dobkonektor)');
  });
});

function fetchVia(
  agent: Agent,
  port: number,
  path: string,
): Promise<{ status: number | undefined; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode, headers: res.headers, body });
      });
    }).on('error', reject);
  });
}

async function waitUntilInFlight(base: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const res = await request(base).get('/api/v1/test-probes/in-flight');
    if ((res.body as { count: number }).count > 0) return;
  }
  throw new Error('the slow request never reached the server');
}
