import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { Clock } from '@app/common';

/** How old a cached statistics answer may be: the bound of its staleness. */
export const STATS_CACHE_TTL_MS = 60_000;

interface Stamped<T> {
  /** When the value was computed, by the injected clock (ms since the epoch). */
  at: number;
  value: T;
}

/**
 * Statistics answers cached through cache-manager (Redis when REDIS_URL is set, so shared by every
 * instance; memory otherwise). The store expires entries after STATS_CACHE_TTL_MS of real time;
 * each entry also carries the injected clock's time it was computed at, and an entry as old as
 * the bound by that clock (or from its future) counts as absent. So an answer is never more than
 * 60 s old by either clock, and tests move the clock instead of waiting. A cache that fails is
 * skipped: the numbers are computed and the failure logged.
 */
@Injectable()
export class StatsCache {
  private readonly logger = new Logger(StatsCache.name);

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly clock: Clock,
  ) {}

  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const hit = await this.read<T>(key);
    if (hit !== undefined && hit.at <= now && now - hit.at < STATS_CACHE_TTL_MS) return hit.value;
    const value = await compute();
    await this.write(key, { at: now, value });
    return value;
  }

  private async read<T>(key: string): Promise<Stamped<T> | undefined> {
    try {
      return (await this.cache.get<Stamped<T>>(key)) ?? undefined;
    } catch (error) {
      this.logger.warn(`Statistics cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async write<T>(key: string, entry: Stamped<T>): Promise<void> {
    try {
      await this.cache.set(key, entry, STATS_CACHE_TTL_MS);
    } catch (error) {
      this.logger.warn(`Statistics cache write failed: ${(error as Error).message}`);
    }
  }
}
