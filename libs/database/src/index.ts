export { DatabaseModule } from './database.module';
export { EMBEDDED_DB_NAME, MONGO_ENDPOINT, type MongoEndpoint, mongoHosts } from './mongo-endpoint';
export { newestFirst } from './newest-first';
export { duplicateKeyFields } from './duplicate-key';
export { type DayTotal, type TimeSpan, totalsByUtcDay, within } from './time-span';
