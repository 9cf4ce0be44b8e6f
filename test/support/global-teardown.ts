import { armExitWatchdog } from './exit-watchdog';
import { testRunState } from './global-state';

/** Jest globalTeardown of both runs: stops the run's own redis-server, then arms the exit watchdog. */
export default async function globalTeardown(globalConfig: {
  watch?: boolean;
  watchAll?: boolean;
}): Promise<void> {
  const slot = testRunState();
  const redis = slot.redis;
  if (redis) {
    slot.redis = undefined;
    if (process.env.REDIS_URL === redis.url) delete process.env.REDIS_URL;
    await redis.stop();
  }
  armExitWatchdog(globalConfig);
}
