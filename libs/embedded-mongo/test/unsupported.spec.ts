import { MongoServerError } from 'mongodb';
import {
  createIndex,
  indexNames,
  rejectionOf,
  startHarness,
  stopHarness,
  type Harness,
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

async function expectServerStillAnswers(): Promise<void> {
  expect((await h.client.db('admin').command({ ping: 1 })).ok).toBe(1);
}

describe('transactions are refused (standalone server)', () => {
  it('withTransaction fails with a server error mentioning replica sets (code not 20) and writes nothing', async () => {
    const coll = h.freshColl('withtxn');
    const session = h.client.startSession();
    let error: unknown;
    try {
      error = await rejectionOf(
        session.withTransaction(async () => {
          await coll.insertOne({ _id: 1, v: 'in txn' }, { session });
          await coll.insertOne({ _id: 2, v: 'in txn' }, { session });
        }),
      );
    } finally {
      await session.endSession();
    }
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).message).toMatch(/replica set/i);
    expect((error as MongoServerError).code).not.toBe(20);
    expect(await coll.countDocuments()).toBe(0);
    // the same client keeps working outside a transaction
    await coll.insertOne({ _id: 3, v: 'plain' });
    expect(await coll.find().toArray()).toEqual([{ _id: 3, v: 'plain' }]);
  }, 15_000);

  it('startTransaction then insertOne fails the insert the same way and writes nothing', async () => {
    const coll = h.freshColl('starttxn');
    const session = h.client.startSession();
    let error: unknown;
    try {
      session.startTransaction();
      error = await rejectionOf(coll.insertOne({ _id: 1 }, { session }));
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).message).toMatch(/replica set/i);
    expect((error as MongoServerError).code).not.toBe(20);
    expect(await coll.countDocuments()).toBe(0);
    await expectServerStillAnswers();
  }, 15_000);
});

describe('out-of-scope features answer a clear error instead of crashing or hanging', () => {
  it('$where is rejected', async () => {
    const coll = h.freshColl('where');
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    const error = await rejectionOf(coll.find({ $where: 'this.a > 1' }).toArray());
    expect(error).toBeInstanceOf(MongoServerError);
    await expectServerStillAnswers();
    expect(await coll.countDocuments()).toBe(2);
  }, 10_000);

  it('$text is rejected', async () => {
    const coll = h.freshColl('text');
    await coll.insertOne({ body: 'hello world' });
    const error = await rejectionOf(coll.find({ $text: { $search: 'hello' } }).toArray());
    expect(error).toBeInstanceOf(MongoServerError);
    await expectServerStillAnswers();
  }, 10_000);

  it('a 2dsphere index is rejected and not created', async () => {
    const coll = h.freshColl('geo');
    await coll.insertOne({ loc: { type: 'Point', coordinates: [10, 59] } });
    const error = await rejectionOf(createIndex(coll, { loc: '2dsphere' }));
    expect(error).toBeInstanceOf(MongoServerError);
    expect(await indexNames(coll)).toEqual(['_id_']);
    await expectServerStillAnswers();
  }, 10_000);

  it('watch() (change streams) is rejected', async () => {
    const coll = h.freshColl('watch');
    const stream = coll.watch();
    try {
      const error = await rejectionOf(stream.tryNext());
      expect(error).toBeInstanceOf(MongoServerError);
    } finally {
      await stream.close();
    }
    await expectServerStillAnswers();
  }, 10_000);
});
