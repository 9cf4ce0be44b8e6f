import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyIndicators } from './dependency.indicators';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

export const HEALTH_PATHS = ['health/live', 'health/ready'];

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthService, DependencyIndicators],
})
export class HealthModule {}
