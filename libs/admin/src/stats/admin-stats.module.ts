import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { AuthModule } from '@app/auth';
import { CapsulesModule } from '@app/capsules';
import { AppConfig } from '@app/common';
import { InvitesModule } from '@app/invites';
import { MessagesModule } from '@app/messages';
import { RedisConnection, RedisKeyvStore } from '@app/redis';
import { SponsorsModule } from '@app/sponsors';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';
import { AdminStatsController } from './admin-stats.controller';
import { AdminStatsService } from './admin-stats.service';
import { STATS_CACHE_TTL_MS, StatsCache } from './stats-cache';

/** GET /admin/stats and its cache: Redis (keys under REDIS_KEY_PREFIX) when set, memory otherwise. */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [RedisConnection, AppConfig],
      useFactory: (redis: RedisConnection, config: AppConfig) => ({
        ttl: STATS_CACHE_TTL_MS,
        stores:
          redis.client === undefined
            ? undefined
            : [
                new Keyv({
                  store: new RedisKeyvStore(redis.client, config.get('REDIS_KEY_PREFIX')),
                  namespace: 'cache',
                  ttl: STATS_CACHE_TTL_MS,
                }),
              ],
      }),
    }),
    AuthModule,
    CapsulesModule,
    InvitesModule,
    MessagesModule,
    SponsorsModule,
    TokensModule,
    UsersModule,
  ],
  controllers: [AdminStatsController],
  providers: [AdminStatsService, StatsCache],
})
export class AdminStatsModule {}
