import { Module } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { MONGO_ENDPOINT, openMongoEndpoint } from './mongo-endpoint';

@Module({
  providers: [{ provide: MONGO_ENDPOINT, inject: [AppConfig], useFactory: openMongoEndpoint }],
  exports: [MONGO_ENDPOINT],
})
export class MongoEndpointModule {}
