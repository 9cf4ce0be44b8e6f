import type { Cache } from 'cache-manager';
import { ManualClock } from '@app/common';
import { STATS_CACHE_TTL_MS, StatsCache } from './stats-cache';

/** cache-manager's get and set over a Map (real-time expiry is the store's business, not here). */
class MapCache {
  readonly entries = new Map<string, unknown>();
  failing = false;

  get<T>(key: string): Promise<T | undefined> {
    if (this.failing) return Promise.reject(new Error('cache down'));
    return Promise.resolve(this.entries.get(key) as T | undefined);
  }

  set<T>(key: string, value: T): Promise<T> {
    if (this.failing) return Promise.reject(new Error('cache down'));
    this.entries.set(key, value);
    return Promise.resolve(value);
  }
}

describe('StatsCache', () => {
  let clock: ManualClock;
  let store: MapCache;
  let cache: StatsCache;
  let computed: number;
  const compute = () => Promise.resolve((computed += 1));

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-05-01T10:00:00Z'));
    store = new MapCache();
    cache = new StatsCache(store as unknown as Cache, clock);
    computed = 0;
  });

  it('answers the stored value for less than 60 s by the clock, then computes afresh', async () => {
    expect(await cache.getOrCompute('k', compute)).toBe(1);
    clock.advance(STATS_CACHE_TTL_MS - 1);
    expect(await cache.getOrCompute('k', compute)).toBe(1);
    clock.advance(1);
    expect(await cache.getOrCompute('k', compute)).toBe(2);
    expect(await cache.getOrCompute('k', compute)).toBe(2);
  });

  it('keeps one entry per key', async () => {
    expect(await cache.getOrCompute('a', compute)).toBe(1);
    expect(await cache.getOrCompute('b', compute)).toBe(2);
    expect(await cache.getOrCompute('a', compute)).toBe(1);
  });

  it('treats an entry from the clock’s future as stale (the clock was moved back)', async () => {
    await cache.getOrCompute('k', compute);
    clock.advance(-1);
    expect(await cache.getOrCompute('k', compute)).toBe(2);
  });

  it('computes when the cache fails, and never fails because of it', async () => {
    store.failing = true;
    expect(await cache.getOrCompute('k', compute)).toBe(1);
    expect(await cache.getOrCompute('k', compute)).toBe(2);
  });
});
