import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { RedisConnection } from '@app/redis';
import { withTimeout } from './with-timeout';

const PING_TIMEOUT_MS = 1500;

@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectConnection() private readonly connection: Connection,
    private readonly redis: RedisConnection,
  ) {}

  get usesRedis(): boolean {
    return this.redis.client !== undefined;
  }

  async database(): Promise<HealthIndicatorResult> {
    return this.probe('database', async () => {
      const db = this.connection.db;
      if (db === undefined) throw new Error('not connected');
      await db.admin().ping();
    });
  }

  async redisServer(): Promise<HealthIndicatorResult> {
    return this.probe('redis', async () => {
      if (this.redis.client === undefined) throw new Error('not configured');
      await this.redis.client.ping();
    });
  }

  private async probe(key: string, ping: () => Promise<void>): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      await withTimeout(ping(), PING_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : 'unavailable' });
    }
  }
}
