export { startEmbeddedMongo } from './server';
export type { EmbeddedMongo, EmbeddedMongoOptions, TtlMonitor } from './server';
