import { Module } from '@nestjs/common';
import { MongooseModule, type MongooseModuleFactoryOptions } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { DatabaseIndexes } from './database-indexes';
import { DatabaseShutdown } from './database-shutdown';
import { MONGO_ENDPOINT, type MongoEndpoint } from './mongo-endpoint';
import { MongoEndpointModule } from './mongo-endpoint.module';

function connectionOptions(endpoint: MongoEndpoint): MongooseModuleFactoryOptions {
  mongoose.set('sanitizeFilter', true);
  return {
    uri: endpoint.uri,
    dbName: endpoint.dbName,
    serverSelectionTimeoutMS: 10_000,
    retryAttempts: 3,
    retryDelay: 1000,
  };
}

@Module({
  imports: [
    MongoEndpointModule,
    MongooseModule.forRootAsync({
      imports: [MongoEndpointModule],
      inject: [MONGO_ENDPOINT],
      useFactory: connectionOptions,
    }),
  ],
  providers: [DatabaseIndexes, DatabaseShutdown],
})
export class DatabaseModule {}
