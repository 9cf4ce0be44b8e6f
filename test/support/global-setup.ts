import { prepareBrowser } from './browser';
import { startOwnRedis } from './redis-server';
import { testRunState } from './global-state';

/**
 * Jest globalSetup of the end-to-end run (main process, before any worker starts):
 * - extracts the bundled Chromium once, unless CHROMIUM_PATH names a browser (so parallel browser
 *   suites never race to write it);
 * - unless REDIS_URL is set (then it is used as is), starts a redis-server of the run's own on a
 *   free port of 127.0.0.1 and exports its URL as REDIS_URL, which the workers inherit. The global
 *   teardown stops it.
 */
export default async function globalSetup(): Promise<void> {
  // A failure here is left to launchBrowser(), which fails the browser suites with the reason and
  // a hint, rather than every suite of the run.
  await prepareBrowser().catch(() => undefined);
  if (process.env.REDIS_URL?.trim()) return;
  const redis = await startOwnRedis();
  testRunState().redis = redis;
  process.env.REDIS_URL = redis.url;
}
