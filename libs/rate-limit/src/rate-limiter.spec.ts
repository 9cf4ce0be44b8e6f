import { AppConfig, Clock, loadConfig } from '@app/common';
import { CounterStore, MemoryCounterStore, type WindowCount } from './counter-store';
import type { RateLimitDefinition } from './rate-limit.definition';
import { RateLimiter } from './rate-limiter';

const THREE_A_MINUTE: RateLimitDefinition = {
  name: 'spec-three-a-minute',
  limit: () => 3,
  windowMs: 60_000,
};

class FixedClock extends Clock {
  constructor(private readonly at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
}

class FailingCounters extends CounterStore {
  increment(): Promise<WindowCount> {
    return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  }
  decrement(): Promise<void> {
    return Promise.resolve();
  }
  reset(): Promise<void> {
    return Promise.resolve();
  }
}

function limiter(counters: CounterStore, env: Record<string, string> = {}): RateLimiter {
  return new RateLimiter(counters, new AppConfig(loadConfig(env)));
}

describe('RateLimiter', () => {
  const clock = new FixedClock(new Date('2026-05-17T10:00:30Z'));

  it('lets `limit` uses through per subject, then refuses with RATE_LIMITED and the wait', async () => {
    const limits = limiter(new MemoryCounterStore(clock));
    for (let i = 0; i < 3; i++) await limits.consume(THREE_A_MINUTE, 'ann');
    await expect(limits.consume(THREE_A_MINUTE, 'ann')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 60,
    });
    await expect(limits.consume(THREE_A_MINUTE, 'bob')).resolves.toBeUndefined();
  });

  it('counts nothing with RATE_LIMITS=off', async () => {
    const limits = limiter(new FailingCounters(), { RATE_LIMITS: 'off' });
    for (let i = 0; i < 5; i++) await limits.consume(THREE_A_MINUTE, 'ann');
  });

  it('refuses with SERVICE_UNAVAILABLE, naming no address, when the counter store fails', async () => {
    const refusal = limiter(new FailingCounters()).consume(THREE_A_MINUTE, 'ann');
    await expect(refusal).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The rate limit store does not answer',
    });
  });
});
