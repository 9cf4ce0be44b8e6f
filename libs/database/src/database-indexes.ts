import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * Waits, before the server accepts requests, until every model's collection and indexes exist:
 * unique indexes carry rules (one account per email, one redemption per user) that must hold
 * from the first request on a fresh database.
 */
@Injectable()
export class DatabaseIndexes implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(Object.values(this.connection.models).map((model) => model.init()));
  }
}
