import { Module } from '@nestjs/common';
import { CommonModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { MetricsModule } from '@app/metrics';
import { RedisModule } from '@app/redis';

@Module({
  imports: [CommonModule, DatabaseModule, RedisModule, MetricsModule, HealthModule],
})
export class AppModule {}
