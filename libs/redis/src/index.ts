export { RedisConnection } from './redis-connection';
export { RedisModule } from './redis.module';
export { RedisKeyvStore } from './redis-keyv-store';
