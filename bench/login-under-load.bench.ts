/**
 * Does a login stall the API? Starts the real app in-process (as the e2e suites do) with the
 * production bcrypt cost, then measures GET /health/live from a load generator in its own process
 * twice: with no logins, then with LOGINS_IN_FLIGHT logins running the whole time (each finished
 * login replaced at once). Password hashing must stay off the event loop, so the liveness p99 under
 * logins may be at most MAX_P99_RATIO times the baseline p99 of the same run; exits 1 otherwise.
 *
 *   npm run bench:login
 */
import { Agent, request } from 'node:http';
import { createTestApp, signUp, type TestApp } from '../test/support';
import { formatFigures, type LoadFigures } from './support/latency';
import { type LoadGenerator, startLoadGenerator } from './support/load';

const BCRYPT_COST = '12';
const CONCURRENCY = 16;
const WARMUP_MS = 1_000;
const RUN_MS = 5_000;
const LOGINS_IN_FLIGHT = 4;
const MAX_P99_RATIO = 3;
const PASSWORD = 'correct horse battery';

interface LoginLoad {
  /** Resolves once every login has finished at least once: the load is at its steady state. */
  readonly steady: Promise<void>;
  /** Stops replacing logins and waits for those in flight; resolves with how many completed. */
  stop(): Promise<number>;
}

function login(baseUrl: string, agent: Agent, email: string): Promise<void> {
  const body = JSON.stringify({ email, password: PASSWORD });
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/api/v1/auth/login`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) resolve();
          else reject(new Error(`login answered ${String(res.statusCode)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `LOGINS_IN_FLIGHT` loops, each starting the next login as soon as its last one is answered. */
function startLogins(baseUrl: string, email: string): LoginLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: LOGINS_IN_FLIGHT });
  let stopping = false;
  let completed = 0;
  const firsts: Promise<void>[] = [];
  const loops = Array.from({ length: LOGINS_IN_FLIGHT }, () => {
    let first!: () => void;
    firsts.push(new Promise<void>((resolve) => (first = resolve)));
    return (async () => {
      while (!stopping) {
        await login(baseUrl, agent, email);
        completed++;
        first();
      }
    })();
  });
  const all = Promise.all(loops);
  return {
    // A failed login rejects `steady` too, rather than leaving the bench waiting.
    steady: Promise.race([Promise.all(firsts).then(() => undefined), all.then(() => undefined)]),
    async stop() {
      stopping = true;
      await all;
      agent.destroy();
      return completed;
    },
  };
}

async function measure(
  t: TestApp,
  load: LoadGenerator,
): Promise<{ baseline: LoadFigures; loaded: LoadFigures; logins: number }> {
  const urls = [`${t.baseUrl}/health/live`];
  const { email } = await signUp(t, { password: PASSWORD });
  // Warm up the route, the connections and the login path before anything is counted.
  await load.run({ urls, concurrency: CONCURRENCY, durationMs: WARMUP_MS });
  await login(t.baseUrl, new Agent(), email);

  const [baseline] = await load.run({ urls, concurrency: CONCURRENCY, durationMs: RUN_MS });

  const logins = startLogins(t.baseUrl, email);
  let loaded: LoadFigures;
  try {
    await logins.steady;
    [loaded] = await load.run({ urls, concurrency: CONCURRENCY, durationMs: RUN_MS });
  } catch (error) {
    await logins.stop().catch(() => 0);
    throw error;
  }
  // A login that failed during the run surfaces here.
  const completed = await logins.stop();
  return { baseline, loaded, logins: completed / loaded.seconds };
}

async function main(): Promise<void> {
  const t = await createTestApp({ env: { BCRYPT_COST, RATE_LIMITS: 'off' } });
  let load: LoadGenerator | undefined;
  try {
    load = await startLoadGenerator();
    const { baseline, loaded, logins } = await measure(t, load);
    const ratio = loaded.p99Ms / baseline.p99Ms;
    console.log(
      `login under load: GET /health/live, ${CONCURRENCY} keep-alive connections from another ` +
        `process, ${RUN_MS / 1000} s per run, bcrypt cost ${BCRYPT_COST}`,
    );
    console.log(formatFigures('no logins', baseline));
    console.log(formatFigures(`${LOGINS_IN_FLIGHT} logins in flight`, loaded));
    console.log(`  logins completed: ${logins.toFixed(1)}/s`);
    console.log(
      `  p99 with logins / p99 without: ${ratio.toFixed(2)}x (at most ${MAX_P99_RATIO}x expected)`,
    );
    if (!(ratio <= MAX_P99_RATIO) || baseline.errors > 0 || loaded.errors > 0) {
      process.exitCode = 1;
    }
  } finally {
    load?.stop();
    await t.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
