import { Collection, MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src';

const DOCS = 100_000;
const BATCH = 1_000;
const CONCURRENCY = 8;
const EXPECTED_INDEX_SPEEDUP = 20;
/** Sequential point operations: one awaited driver call at a time. */
const SEQUENTIAL = 10_000;
const WARM_UP = 1_000;
/**
 * Measured references, PostgreSQL 15 on this machine (2 cores) through the `pg` client, one
 * awaited query at a time: a primary-key lookup, and a single-row INSERT with
 * synchronous_commit=off.
 */
const POSTGRES_PK_LOOKUPS_PER_SECOND = 15_043;
const POSTGRES_SINGLE_INSERTS_PER_SECOND = 13_072;

interface Figure {
  name: string;
  operations: number;
  perSecond: number;
}

async function timed(name: string, operations: number, run: () => Promise<void>): Promise<Figure> {
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, operations, perSecond: operations / seconds };
}

/** Runs `count` operations, `CONCURRENCY` at a time, as an application's connection pool would. */
async function inParallel(
  count: number,
  operation: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await operation(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Runs `count` operations one after the other, each awaited before the next starts. */
async function inSequence(
  count: number,
  operation: (i: number) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < count; i++) await operation(i);
}

function email(i: number): string {
  return `user${i}@example.com`;
}

interface User {
  _id: number;
  email: string;
  plain: string;
  n: number;
}

/**
 * One awaited driver call at a time, as a request handler makes them: single inserts into an
 * empty collection, and lookups by _id among the DOCS documents, each after a warm-up.
 */
async function sequentialFigures(
  users: Collection<User>,
  fresh: Collection<User>,
  pick: (i: number) => number,
): Promise<[insert: Figure, findById: Figure]> {
  const insertOne = (i: number) =>
    fresh.insertOne({ _id: i, email: email(i), plain: email(i), n: i });
  await inSequence(WARM_UP, (i) => insertOne(-1 - i));
  const insert = await timed('insertOne', SEQUENTIAL, () => inSequence(SEQUENTIAL, insertOne));
  await inSequence(WARM_UP, (i) => users.findOne({ _id: pick(i) }));
  const findById = await timed('findOne by _id', SEQUENTIAL, () =>
    inSequence(SEQUENTIAL, (i) => users.findOne({ _id: pick(i) })),
  );
  return [insert, findById];
}

function printSequential(insert: Figure, findById: Figure): void {
  console.log(`sequential point operations, ${SEQUENTIAL} each, one awaited call at a time`);
  const rows: [Figure, number, string][] = [
    [findById, POSTGRES_PK_LOOKUPS_PER_SECOND, 'primary-key SELECT'],
    [insert, POSTGRES_SINGLE_INSERTS_PER_SECOND, 'single INSERT, synchronous_commit=off'],
  ];
  for (const [f, reference, what] of rows) {
    console.log(
      `  ${f.name.padEnd(26)} ${f.perSecond.toFixed(0).padStart(9)} ops/s  (${(f.perSecond / reference).toFixed(2)}x PostgreSQL 15's ${reference}/s, ${what}; measured reference)`,
    );
  }
}

async function main(): Promise<void> {
  // BENCH_DATA_FILE=path: the same run on a store with a data file (snapshots and journal)
  const dataFile = process.env.BENCH_DATA_FILE;
  const store = await startEmbeddedMongo(dataFile ? { dataFile } : {});
  const client = await MongoClient.connect(store.uri);
  const users = client.db('bench').collection<User>('users');
  try {
    const figures: Figure[] = [];
    figures.push(
      await timed('insert (batches of 1000)', DOCS, async () => {
        for (let start = 0; start < DOCS; start += BATCH) {
          const docs = Array.from({ length: BATCH }, (_, k) => {
            const i = start + k;
            return { _id: i, email: email(i), plain: email(i), n: i };
          });
          await users.insertMany(docs);
        }
      }),
    );
    await users.createIndex({ email: 1 }, { unique: true }, undefined);
    const pick = (i: number): number => (i * 7919) % DOCS;
    figures.push(
      await timed('find by _id', 5_000, () =>
        inParallel(5_000, (i) => users.findOne({ _id: pick(i) })),
      ),
    );
    figures.push(
      await timed('find by indexed field', 5_000, () =>
        inParallel(5_000, (i) => users.findOne({ email: email(pick(i)) })),
      ),
    );
    figures.push(
      await timed('find by unindexed field', 40, () =>
        inParallel(40, (i) => users.findOne({ plain: email(pick(i)) })),
      ),
    );
    const [, byId, indexed, unindexed] = figures;
    console.log(
      `embedded-mongo store benchmark, ${DOCS} documents, ${CONCURRENCY} concurrent requests`,
    );
    for (const f of figures) {
      const ratio = f.perSecond / byId.perSecond;
      console.log(
        `  ${f.name.padEnd(26)} ${f.perSecond.toFixed(0).padStart(9)} ops/s  (${ratio.toFixed(3)}x the _id lookup rate)`,
      );
    }
    const speedup = indexed.perSecond / unindexed.perSecond;
    console.log(
      `  indexed / unindexed equality lookups: ${speedup.toFixed(1)}x (expected at least ${EXPECTED_INDEX_SPEEDUP}x)`,
    );
    if (speedup < EXPECTED_INDEX_SPEEDUP) process.exitCode = 1;
    printSequential(
      ...(await sequentialFigures(users, client.db('bench').collection<User>('sequential'), pick)),
    );
  } finally {
    await client.close();
    await store.stop();
  }
}

void main();
