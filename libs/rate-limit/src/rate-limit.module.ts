import { type ExecutionContext, Global, Module } from '@nestjs/common';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig, type AuthenticatedRequest } from '@app/common';
import { RedisConnection } from '@app/redis';
import { CounterStore, MemoryCounterStore, RedisCounterStore } from './counter-store';
import { CounterThrottlerStorage } from './counter-throttler-storage';
import { RATE_LIMITS_KEY } from './rate-limit.decorator';
import { RateLimitGuard } from './rate-limit.guard';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function marked(context: ExecutionContext, name: string): boolean {
  const names: unknown = Reflect.getMetadata(RATE_LIMITS_KEY, context.getHandler());
  return Array.isArray(names) && names.includes(name);
}

function bodyEmail(req: Request): string {
  const body: unknown = req.body;
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : `ip:${req.ip ?? ''}`;
}

/** The named throttlers; each applies only to routes that name it with @RateLimit(). */
function throttlers(config: AppConfig): ThrottlerOptions[] {
  const off = config.get('RATE_LIMITS') === 'off';
  const only =
    (name: string) =>
    (context: ExecutionContext): boolean =>
      off || !marked(context, name);
  const signupLimit = config.get('SIGNUP_RATE_PER_HOUR');
  const list: ThrottlerOptions[] = [
    { name: 'signup-address', limit: signupLimit, ttl: HOUR },
    {
      name: 'signup-email',
      limit: signupLimit,
      ttl: HOUR,
      getTracker: (req) => bodyEmail(req as Request),
    },
    { name: 'invite-check', limit: config.get('INVITE_CHECK_RATE_PER_MINUTE'), ttl: MINUTE },
    {
      name: 'coupon-redeem',
      limit: config.get('COUPON_REDEEM_RATE_PER_MINUTE'),
      ttl: MINUTE,
      getTracker: (req) => `user:${(req as AuthenticatedRequest).user?.id ?? req.ip ?? ''}`,
    },
  ];
  return list.map((throttler) => ({ ...throttler, skipIf: only(throttler.name ?? '') }));
}

/** The counters, in a module of their own so that the throttler's options can use them. */
@Module({
  providers: [
    {
      provide: CounterStore,
      inject: [RedisConnection, AppConfig],
      useFactory: (redis: RedisConnection, config: AppConfig): CounterStore =>
        redis.client
          ? new RedisCounterStore(redis.client, config.get('REDIS_KEY_PREFIX'))
          : new MemoryCounterStore(),
    },
  ],
  exports: [CounterStore],
})
class CounterStoreModule {}

@Global()
@Module({
  imports: [
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
  providers: [RateLimitGuard],
  exports: [CounterStoreModule, RateLimitGuard],
})
export class RateLimitModule {}
