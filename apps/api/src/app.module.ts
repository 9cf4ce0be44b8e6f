import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from '@app/admin';
import { AuthModule } from '@app/auth';
import { AccountModule } from '@app/account';
import { AvatarsModule } from '@app/avatars';
import { CapsulesModule } from '@app/capsules';
import { type AppConfig, CommonModule } from '@app/common';
import { CouponsModule } from '@app/coupons';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { InvitesModule } from '@app/invites';
import { MessagesModule } from '@app/messages';
import { MetricsModule } from '@app/metrics';
import { RateLimitModule } from '@app/rate-limit';
import { RealtimeModule } from '@app/realtime';
import { RedisModule } from '@app/redis';
import { ReportsModule } from '@app/reports';
import { RoomsModule } from '@app/rooms';
import { SponsorsModule } from '@app/sponsors';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';

const FEATURES = [
  EventEmitterModule.forRoot(),
  ScheduleModule.forRoot(),
  DatabaseModule,
  RedisModule,
  RateLimitModule,
  MetricsModule,
  HealthModule,
  UsersModule,
  AvatarsModule,
  TokensModule,
  InvitesModule,
  CouponsModule,
  AuthModule,
  RoomsModule,
  SponsorsModule,
  MessagesModule,
  ReportsModule,
  AccountModule,
  CapsulesModule,
  AdminModule,
  RealtimeModule,
];

/** The API: every feature, on the configuration parsed once at boot. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [CommonModule.forRoot(config), ...FEATURES] };
  }
}
