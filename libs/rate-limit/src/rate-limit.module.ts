import { type ExecutionContext, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig, Clock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { CounterStore, MemoryCounterStore, RedisCounterStore } from './counter-store';
import { CounterThrottlerStorage } from './counter-throttler-storage';
import { RATE_LIMITS_KEY } from './rate-limit.decorator';
import { declaredRateLimits } from './rate-limit.definition';
import { RateLimitNamesCheck } from './rate-limit-names.check';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiter } from './rate-limiter';

function marked(context: ExecutionContext, name: string): boolean {
  const names: unknown = Reflect.getMetadata(RATE_LIMITS_KEY, context.getHandler());
  return Array.isArray(names) && names.includes(name);
}

/** One throttler per declared rate limit; each applies only to routes that name it. */
function throttlers(config: AppConfig): ThrottlerOptions[] {
  const off = config.get('RATE_LIMITS') === 'off';
  return declaredRateLimits().map(({ name, limit, windowMs, tracker }) => ({
    name,
    limit: limit(config),
    ttl: windowMs,
    ...(tracker === undefined ? {} : { getTracker: (req) => tracker(req as Request) }),
    skipIf: (context: ExecutionContext) => off || !marked(context, name),
  }));
}

/** The counters, in a module of their own so that the throttler's options can use them. */
@Module({
  providers: [
    {
      provide: CounterStore,
      inject: [RedisConnection, AppConfig, Clock],
      useFactory: (redis: RedisConnection, config: AppConfig, clock: Clock): CounterStore =>
        redis.client
          ? new RedisCounterStore(redis.client, config.get('REDIS_KEY_PREFIX'), clock)
          : new MemoryCounterStore(clock),
    },
  ],
  exports: [CounterStore],
})
class CounterStoreModule {}

@Global()
@Module({
  imports: [
    DiscoveryModule,
    CounterStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [CounterStoreModule],
      inject: [AppConfig, CounterStore],
      useFactory: (config: AppConfig, counters: CounterStore) => ({
        throttlers: throttlers(config),
        storage: new CounterThrottlerStorage(counters),
      }),
    }),
  ],
  providers: [RateLimitGuard, RateLimitNamesCheck, RateLimiter],
  exports: [CounterStoreModule, RateLimitGuard, RateLimiter],
})
export class RateLimitModule {}
