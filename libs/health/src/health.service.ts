import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { DomainError } from '@app/common';
import { DependencyIndicators } from './dependency.indicators';

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyIndicators,
  ) {}

  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  async ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.dependencies.database()];
    if (this.dependencies.usesRedis) checks.push(() => this.dependencies.redisServer());
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      throw notReady(error.getResponse() as HealthCheckResult);
    }
  }
}

function notReady(result: HealthCheckResult): DomainError {
  const down = Object.entries(result.error ?? {}).map(([field, status]) => ({
    field,
    message: typeof status?.message === 'string' ? `down: ${status.message}` : 'down',
  }));
  return new DomainError(
    'SERVICE_UNAVAILABLE',
    `Not ready: ${down.map(({ field }) => field).join(', ')} unavailable`,
    down,
  );
}
