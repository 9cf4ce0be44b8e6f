import type { Provider } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { RedisConnection } from '@app/redis';
import { MemoryPresence } from './memory-presence';
import { Presence } from './presence';
import { RedisPresence } from './redis-presence';

/** Presence in Redis when REDIS_URL is set (every instance shares it), else in memory. */
export const presenceProvider: Provider = {
  provide: Presence,
  inject: [RedisConnection, AppConfig],
  useFactory: (redis: RedisConnection, config: AppConfig): Presence =>
    redis.client
      ? new RedisPresence(
          redis.client,
          config.get('REDIS_KEY_PREFIX'),
          config.get('PRESENCE_TTL_SECONDS'),
        )
      : new MemoryPresence(),
};
