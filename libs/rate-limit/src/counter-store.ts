import type { Redis } from 'ioredis';
import { type Clock, DomainError } from '@app/common';

export interface WindowCount {
  count: number;
  /** Milliseconds until the window (and its count) ends. */
  resetInMs: number;
}

/**
 * Fixed-window counters shared by every rate limit: in Redis when REDIS_URL is set (so all
 * instances count together), in process memory otherwise.
 */
export abstract class CounterStore {
  abstract increment(key: string, windowMs: number): Promise<WindowCount>;

  /**
   * Counts one use, for a rate limit: a store that fails (Redis down) refuses with
   * SERVICE_UNAVAILABLE, since unlimited use is not allowed. Every limit, route decorator or
   * RateLimiter, counts through here.
   */
  async countUse(key: string, windowMs: number): Promise<WindowCount> {
    try {
      return await this.increment(key, windowMs);
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', 'The rate limit store does not answer');
    }
  }

  /** Takes one count back (never below zero), keeping the window. */
  abstract decrement(key: string): Promise<void>;
  abstract reset(key: string): Promise<void>;
}

/** Counters in process memory (one instance), windows timed by the injected clock. */
export class MemoryCounterStore extends CounterStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  increment(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.sweep(now);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return Promise.resolve({ count: window.count, resetInMs: window.endsAt - now });
  }

  decrement(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.count > 0 && window.endsAt > this.clock.now().getTime()) window.count--;
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  private sweep(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/**
 * A window is a hash {count, endsAt}; endsAt comes from the injected clock (passed in), so tests
 * that move the clock move the windows. The key's Redis expiry only cleans up after the window.
 */
const INCREMENT = `
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local endsAt = tonumber(redis.call('HGET', KEYS[1], 'endsAt') or '0')
local count
if endsAt <= now then
  endsAt = now + windowMs
  count = 1
  redis.call('HSET', KEYS[1], 'count', 1, 'endsAt', endsAt)
else
  count = redis.call('HINCRBY', KEYS[1], 'count', 1)
end
redis.call('PEXPIRE', KEYS[1], windowMs)
return {count, endsAt - now}`;

const DECREMENT = `
local now = tonumber(ARGV[1])
local endsAt = tonumber(redis.call('HGET', KEYS[1], 'endsAt') or '0')
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
if endsAt > now and count > 0 then redis.call('HINCRBY', KEYS[1], 'count', -1) end
return 0`;

/** Counters in Redis, shared by every instance, windows timed by the injected clock. */
export class RedisCounterStore extends CounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
  ) {
    super();
  }

  private key(name: string): string {
    return `${this.prefix}rate:${name}`;
  }

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    const [count, resetInMs] = (await this.redis.eval(
      INCREMENT,
      1,
      this.key(key),
      now,
      windowMs,
    )) as [number, number];
    return { count, resetInMs };
  }

  async decrement(key: string): Promise<void> {
    await this.redis.eval(DECREMENT, 1, this.key(key), this.clock.now().getTime());
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}
