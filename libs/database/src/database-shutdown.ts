import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { MONGO_ENDPOINT, type MongoEndpoint } from './mongo-endpoint';

@Injectable()
export class DatabaseShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(MONGO_ENDPOINT) private readonly endpoint: MongoEndpoint,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.endpoint.stop();
    this.logger.log(
      this.endpoint.embedded
        ? 'Database connection closed, embedded store stopped'
        : 'Database connection closed',
    );
  }
}
