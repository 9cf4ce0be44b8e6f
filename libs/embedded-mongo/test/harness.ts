/**
 * Shared helpers for the embedded-mongo suites: start a server plus a connected MongoClient,
 * hand out fresh database names, and capture rejections for inspection.
 */
import {
  MongoClient,
  MongoServerError,
  type Collection,
  type Db,
  type Document,
  type IndexOptions,
  type IndexSpecification,
  type MongoClientOptions,
  type ObjectId,
  Long,
} from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../src';

/**
 * A loosely typed document whose _id may be any of the values the tests use (the driver's
 * default `Document` schema insists on ObjectId ids in filters and inserts).
 */
export interface Doc extends Document {
  _id?: string | number | boolean | null | ObjectId | Date | Document;
}

export interface Harness {
  server: EmbeddedMongo;
  client: MongoClient;
  /** A database no other test of this file has used. */
  freshDb(prefix?: string): Db;
  /** Collection `c` in a fresh database. */
  freshColl(prefix?: string): Collection<Doc>;
  stop(): Promise<void>;
}

let dbCounter = 0;

/** A database name unique within this process. */
export function uniqueName(prefix = 'db'): string {
  dbCounter += 1;
  return `${prefix}_${dbCounter}`;
}

/** Fail fast instead of waiting 30 s for server selection when the server is not answering. */
export const FAST_FAIL: MongoClientOptions = {
  serverSelectionTimeoutMS: 3000,
  connectTimeoutMS: 3000,
};

export async function connectClient(
  uri: string,
  options: MongoClientOptions = {},
): Promise<MongoClient> {
  const client = new MongoClient(uri, { ...FAST_FAIL, ...options });
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

export async function startHarness(
  serverOptions: EmbeddedMongoOptions = {},
  clientOptions: MongoClientOptions = {},
): Promise<Harness> {
  const server = await startEmbeddedMongo({ port: 0, ...serverOptions });
  let client: MongoClient;
  try {
    client = await connectClient(server.uri, clientOptions);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    client,
    freshDb: (prefix = 'db') => client.db(uniqueName(prefix)),
    freshColl: (prefix = 'db') => client.db(uniqueName(prefix)).collection<Doc>('c'),
    stop: async () => {
      try {
        await client.close();
      } finally {
        await server.stop();
      }
    },
  };
}

/** For afterAll: tolerates a beforeAll that never produced a harness. */
export async function stopHarness(harness: Harness | undefined): Promise<void> {
  if (harness) await harness.stop();
}

/** Awaits the promise and returns what it rejected with; throws if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, but the promise resolved with ${JSON.stringify(value)}`);
}

/** Awaits the promise, asserts it rejected with a MongoServerError, and returns that error. */
export async function serverErrorOf(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

/** Polls `check` until it returns true or `timeoutMs` elapses; returns the last result. */
/** The code of the server error the promise rejects with. */
export async function serverCodeOf(promise: Promise<unknown>): Promise<number | undefined> {
  return (await serverErrorOf(promise)).code as number | undefined;
}

/** The reply fields the command suites read; `value` is null when findAndModify matched nothing. */
export interface CommandReply {
  ok: number;
  n: number;
  nModified: number;
  upserted: { index: number; _id: unknown }[];
  writeErrors: { index: number; code: number; errmsg: string }[];
  value: Record<string, unknown>;
  lastErrorObject: { n: number; updatedExisting: boolean; upserted: unknown };
  values: unknown[];
  numIndexesBefore: number;
  numIndexesAfter: number;
  createdCollectionAutomatically?: boolean;
  note?: string;
  maxWriteBatchSize: number;
  cursor: {
    id: Long;
    ns: string;
    firstBatch: Record<string, unknown>[];
    nextBatch: Record<string, unknown>[];
  };
  cursorsKilled: Long[];
  cursorsNotFound: Long[];
  cursorsAlive: Long[];
  cursorsUnknown: Long[];
}

/** Runs a raw command, its reply typed loosely. */
export async function runCommand(
  db: { command(command: Document): Promise<Document> },
  command: Document,
): Promise<CommandReply> {
  return (await db.command(command)) as CommandReply;
}

export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Reads a dotted path out of a command reply without resorting to `any`. */
export function pathOf(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The `_bsontype` tag of a BSON wrapper value, or `typeof` for plain JS values. */
export function bsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') {
    const tag = (value as { _bsontype?: unknown })._bsontype;
    return typeof tag === 'string' ? tag : 'Object';
  }
  return typeof value;
}

/** createIndex through the driver's non-deprecated three-argument overload. */
export function createIndex(
  coll: Collection<Doc>,
  keys: IndexSpecification,
  options: IndexOptions = {},
): Promise<string> {
  return coll.createIndex(keys, options, undefined);
}

/** Index names of a collection, sorted. */
export async function indexNames(coll: Collection<Doc>): Promise<string[]> {
  return (await coll.indexes()).map((i) => i.name ?? '').sort();
}
