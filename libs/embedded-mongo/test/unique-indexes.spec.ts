import { Double, Int32, Long, MongoBulkWriteError, ObjectId, type WriteError } from 'mongodb';
import {
  createIndex,
  indexNames,
  rejectionOf,
  serverErrorOf,
  startHarness,
  stopHarness,
  type Doc,
  type Harness,
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

function writeErrorsOf(error: MongoBulkWriteError): WriteError[] {
  const errors: unknown = error.writeErrors;
  return Array.isArray(errors) ? (errors as WriteError[]) : [errors as WriteError];
}

async function bulkErrorOf(promise: Promise<unknown>): Promise<MongoBulkWriteError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(MongoBulkWriteError);
  return error as MongoBulkWriteError;
}

describe('unique indexes', () => {
  it('a duplicate on a unique single-field index fails with E11000, keyPattern and keyValue', async () => {
    const db = h.freshDb('single');
    const coll = db.collection<Doc>('users');
    await createIndex(coll, { email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@x.io', n: 1 });
    const error = await serverErrorOf(coll.insertOne({ email: 'a@x.io', n: 2 }));
    expect(error.code).toBe(11000);
    expect(error.message).toMatch(
      new RegExp(
        `^E11000 duplicate key error collection: ${db.databaseName}\\.users index: email_1 dup key: \\{`,
      ),
    );
    expect(error.message).toContain('"a@x.io"');
    expect(error.message).toBe(
      `E11000 duplicate key error collection: ${db.databaseName}.users index: email_1 dup key: { email: "a@x.io" }`,
    );
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'a@x.io' });
    expect(await coll.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
      { email: 'a@x.io', n: 1 },
    ]);
  });

  it('a duplicate _id fails with E11000 on index _id_', async () => {
    const db = h.freshDb('id');
    const coll = h.client.db(db.databaseName).collection<{ _id: number; v: string }>('c');
    await coll.insertOne({ _id: 1, v: 'first' });
    const error = await serverErrorOf(coll.insertOne({ _id: 1, v: 'second' }));
    expect(error.code).toBe(11000);
    expect(error.message).toMatch(
      new RegExp(
        `^E11000 duplicate key error collection: ${db.databaseName}\\.c index: _id_ dup key: \\{ _id: 1 \\}`,
      ),
    );
    expect(error.keyValue).toEqual({ _id: 1 });
    expect(await coll.find().toArray()).toEqual([{ _id: 1, v: 'first' }]);
  });

  it('a compound unique index only rejects the same combination', async () => {
    const coll = h.freshColl('compound');
    await createIndex(coll, { a: 1, b: 1 }, { unique: true });
    await coll.insertMany([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
    ]);
    const error = await serverErrorOf(coll.insertOne({ a: 1, b: 'x' }));
    expect(error.code).toBe(11000);
    expect(error.message).toContain('index: a_1_b_1 dup key: {');
    expect(error.keyPattern).toEqual({ a: 1, b: 1 });
    expect(error.keyValue).toEqual({ a: 1, b: 'x' });
    expect(await coll.countDocuments()).toBe(3);
  });

  it('the dup key is rendered like MongoDB: compound fields in order, null, ObjectId(...)', async () => {
    const db = h.freshDb('format');
    const coll = db.collection<Doc>('c');
    const prefix = `E11000 duplicate key error collection: ${db.databaseName}.c index:`;
    await createIndex(coll, { a: 1, b: -1 }, { unique: true });
    await coll.insertOne({ _id: new ObjectId('65a1b2c3d4e5f60718293a4b'), a: 1, b: 'x' });
    const compound = await serverErrorOf(coll.insertOne({ a: 1, b: 'x' }));
    expect(compound.message).toBe(`${prefix} a_1_b_-1 dup key: { a: 1, b: "x" }`);
    expect(compound.keyPattern).toEqual({ a: 1, b: -1 });
    await coll.insertOne({ c: 1 });
    const missing = await serverErrorOf(coll.insertOne({ c: 2 }));
    expect(missing.message).toBe(`${prefix} a_1_b_-1 dup key: { a: null, b: null }`);
    const id = await serverErrorOf(
      coll.insertOne({ _id: new ObjectId('65a1b2c3d4e5f60718293a4b'), a: 2 }),
    );
    expect(id.message).toBe(
      `${prefix} _id_ dup key: { _id: ObjectId('65a1b2c3d4e5f60718293a4b') }`,
    );
  });

  it('numerically equal values of different BSON types are the same key', async () => {
    const coll = h.freshColl('numeric');
    await createIndex(coll, { v: 1 }, { unique: true });
    await coll.insertOne({ v: new Int32(1) });
    expect((await serverErrorOf(coll.insertOne({ v: new Double(1) }))).code).toBe(11000);
    expect((await serverErrorOf(coll.insertOne({ v: Long.fromNumber(1) }))).code).toBe(11000);
    await coll.insertOne({ v: '1' });
    expect(await coll.countDocuments()).toBe(2);
  });

  it('a missing field counts as null: two documents without the field collide', async () => {
    const coll = h.freshColl('missing');
    await createIndex(coll, { email: 1 }, { unique: true });
    await coll.insertOne({ name: 'no email' });
    const error = await serverErrorOf(coll.insertOne({ name: 'no email either' }));
    expect(error.code).toBe(11000);
    expect(error.keyValue).toEqual({ email: null });
    const nullError = await serverErrorOf(coll.insertOne({ email: null }));
    expect(nullError.code).toBe(11000);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('a sparse unique index allows many documents without the field but not duplicates', async () => {
    const coll = h.freshColl('sparse');
    await createIndex(coll, { email: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }, { email: 'a@x.io' }]);
    expect((await serverErrorOf(coll.insertOne({ email: 'a@x.io' }))).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(4);
  });

  it('a partial unique index enforces uniqueness only among documents matching the filter', async () => {
    const coll = h.freshColl('partial');
    await createIndex(
      coll,
      { email: 1 },
      { unique: true, partialFilterExpression: { active: true } },
    );
    await coll.insertMany([
      { email: 'a@x.io', active: false },
      { email: 'a@x.io', active: false },
      { email: 'a@x.io', active: true },
    ]);
    const error = await serverErrorOf(coll.insertOne({ email: 'a@x.io', active: true }));
    expect(error.code).toBe(11000);
    expect(await coll.countDocuments({ email: 'a@x.io' })).toBe(3);
    // flipping an inactive duplicate to active collides too
    const update = await serverErrorOf(
      coll.updateOne({ active: false }, { $set: { active: true } }),
    );
    expect(update.code).toBe(11000);
    expect(await coll.countDocuments({ active: true })).toBe(1);
  });

  it('multikey: a value shared by two documents arrays collides; repeats inside one array do not', async () => {
    const coll = h.freshColl('multikey');
    await createIndex(coll, { tags: 1 }, { unique: true });
    await coll.insertOne({ _id: 1, tags: ['a', 'b'] });
    const error = await serverErrorOf(coll.insertOne({ _id: 2, tags: ['b'] }));
    expect(error.code).toBe(11000);
    expect(error.keyValue).toEqual({ tags: 'b' });
    await coll.insertOne({ _id: 3, tags: ['c', 'c'] });
    await coll.insertOne({ _id: 4, tags: 'd' });
    expect((await serverErrorOf(coll.insertOne({ _id: 5, tags: ['e', 'd'] }))).code).toBe(11000);
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3, 4]);
  });

  it('creating a unique index over existing duplicates fails with 11000 and creates nothing', async () => {
    const coll = h.freshColl('existing');
    await coll.insertMany([{ email: 'dup@x.io' }, { email: 'dup@x.io' }, { email: 'ok@x.io' }]);
    const error = await serverErrorOf(createIndex(coll, { email: 1 }, { unique: true }));
    expect(error.code).toBe(11000);
    expect(await indexNames(coll)).toEqual(['_id_']);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('an update that would create a duplicate fails and leaves the document unchanged', async () => {
    const coll = h.freshColl('update');
    await createIndex(coll, { email: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 1, email: 'a@x.io', n: 1 },
      { _id: 2, email: 'b@x.io', n: 2 },
    ]);
    const error = await serverErrorOf(
      coll.updateOne({ _id: 2 }, { $set: { email: 'a@x.io', n: 99 } }),
    );
    expect(error.code).toBe(11000);
    const replace = await serverErrorOf(coll.replaceOne({ _id: 2 }, { email: 'a@x.io' }));
    expect(replace.code).toBe(11000);
    const fam = await serverErrorOf(
      coll.findOneAndUpdate({ _id: 2 }, { $set: { email: 'a@x.io' } }),
    );
    expect(fam.code).toBe(11000);
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, email: 'a@x.io', n: 1 },
      { _id: 2, email: 'b@x.io', n: 2 },
    ]);
  });

  it('an upsert that would insert a duplicate fails and inserts nothing', async () => {
    const coll = h.freshColl('upsertdup');
    await createIndex(coll, { email: 1 }, { unique: true });
    await coll.insertOne({ _id: 1, email: 'a@x.io' });
    const error = await serverErrorOf(
      coll.updateOne({ _id: 2 }, { $set: { email: 'a@x.io' } }, { upsert: true }),
    );
    expect(error.code).toBe(11000);
    expect(await coll.countDocuments()).toBe(1);
  });
});

describe('bulk writes and duplicate keys', () => {
  it('an ordered insertMany stops at the first duplicate and reports its index', async () => {
    const coll = h.freshColl('ordered');
    const error = await bulkErrorOf(
      coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }, { _id: 2 }]),
    );
    const writeErrors = writeErrorsOf(error);
    expect(writeErrors.map((e) => [e.index, e.code])).toEqual([[2, 11000]]);
    expect(error.result.insertedCount).toBe(2);
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2]);
  });

  it('an unordered insertMany goes on past duplicates and reports every failing index', async () => {
    const coll = h.freshColl('unordered');
    const error = await bulkErrorOf(
      coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], {
        ordered: false,
      }),
    );
    const writeErrors = writeErrorsOf(error);
    expect(writeErrors.map((e) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(error.result.insertedCount).toBe(3);
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
  });

  it('an ordered bulkWrite of mixed operations stops at the failing operation', async () => {
    const coll = h.freshColl('bulkmixed');
    await createIndex(coll, { k: 1 }, { unique: true });
    const error = await bulkErrorOf(
      coll.bulkWrite([
        { insertOne: { document: { _id: 1, k: 'a' } } },
        { updateOne: { filter: { _id: 1 }, update: { $set: { n: 1 } } } },
        { insertOne: { document: { _id: 2, k: 'a' } } },
        { deleteOne: { filter: { _id: 1 } } },
      ]),
    );
    expect(writeErrorsOf(error).map((e) => [e.index, e.code])).toEqual([[2, 11000]]);
    expect(error.result.insertedCount).toBe(1);
    expect(error.result.modifiedCount).toBe(1);
    expect(error.result.deletedCount).toBe(0);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, k: 'a', n: 1 }]);
  });
});
