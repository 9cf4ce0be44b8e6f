import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@app/common';

@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | undefined;
  private readonly logger = new Logger('Redis');
  private healthy = true;

  constructor(config: AppConfig) {
    const url = config.get('REDIS_URL');
    this.client = url === undefined ? undefined : this.connect(url);
  }

  private connect(url: string): Redis {
    const client = new Redis(url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // disconnect() of a never-connected client keeps a timer this long; keep shutdown quick.
      disconnectTimeout: 100,
    });
    client.on('ready', () => {
      this.healthy = true;
      this.logger.log('Redis connection ready');
    });
    client.on('error', (error: Error) => {
      if (!this.healthy) return;
      this.healthy = false;
      this.logger.warn(`Redis unavailable: ${error.message}`);
    });
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client === undefined) return;
    if (this.client.status === 'ready') await this.client.quit();
    else this.client.disconnect();
  }
}
