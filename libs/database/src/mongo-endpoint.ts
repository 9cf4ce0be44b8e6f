import { Logger } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from '@app/common';
import { startEmbeddedMongo } from '@app/embedded-mongo';

export const MONGO_ENDPOINT = Symbol('MONGO_ENDPOINT');
export const EMBEDDED_DB_NAME = 'dobkonektor';

export interface MongoEndpoint {
  readonly uri: string;
  readonly dbName: string | undefined;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export function mongoHosts(uri: string): string {
  return /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri)?.[1] ?? 'unknown host';
}

async function startEmbeddedEndpoint(dataFile: string, logger: Logger): Promise<MongoEndpoint> {
  const path = resolve(dataFile);
  await mkdir(dirname(path), { recursive: true });
  const store = await startEmbeddedMongo({ dataFile: path });
  logger.log(
    `MONGO_URL is not set: using the embedded MongoDB-compatible store at ${store.uri}, persisting to ${path}`,
  );
  return { uri: store.uri, dbName: EMBEDDED_DB_NAME, embedded: true, stop: () => store.stop() };
}

export async function openMongoEndpoint(config: AppConfig): Promise<MongoEndpoint> {
  const logger = new Logger('Database');
  const url = config.get('MONGO_URL');
  if (url === undefined) return startEmbeddedEndpoint(config.get('EMBEDDED_MONGO_DATA'), logger);
  logger.log(`Using MongoDB from MONGO_URL (${mongoHosts(url)})`);
  return { uri: url, dbName: undefined, embedded: false, stop: () => Promise.resolve() };
}
