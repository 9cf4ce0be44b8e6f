import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src';

const DOCS = 100_000;
const BATCH = 1_000;
const CONCURRENCY = 8;
const EXPECTED_INDEX_SPEEDUP = 20;

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

function email(i: number): string {
  return `user${i}@example.com`;
}

async function main(): Promise<void> {
  // BENCH_DATA_FILE=path: the same run on a store with a data file (snapshots and journal)
  const dataFile = process.env.BENCH_DATA_FILE;
  const store = await startEmbeddedMongo(dataFile ? { dataFile } : {});
  const client = await MongoClient.connect(store.uri);
  const users = client
    .db('bench')
    .collection<{ _id: number; email: string; plain: string; n: number }>('users');
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
  } finally {
    await client.close();
    await store.stop();
  }
}

void main();
