import { Double, Int32, Long, type Document } from 'mongodb';
import {
  bsonTypeOf,
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

/** Inserts `doc`, applies `update` to it and returns the stored result. */
async function applyUpdate(
  prefix: string,
  doc: Doc,
  update: Document,
  options: { arrayFilters?: Document[] } = {},
): Promise<Doc | null> {
  const coll = h.freshColl(prefix);
  await coll.insertOne({ _id: 1, ...doc });
  const result = await coll.updateOne({ _id: 1 }, update, options);
  expect(result.matchedCount).toBe(1);
  return coll.findOne({ _id: 1 });
}

describe('field update operators', () => {
  it('$unset removes top-level and nested fields', async () => {
    expect(
      await applyUpdate(
        'unset',
        { a: 1, b: { c: 2, d: 3 }, e: 4 },
        { $unset: { a: '', 'b.c': 1 } },
      ),
    ).toEqual({ _id: 1, b: { d: 3 }, e: 4 });
  });

  it('$set with a dotted path creates missing intermediate documents and sets array slots', async () => {
    expect(
      await applyUpdate('setpath', { arr: [1, 2, 3] }, { $set: { 'x.y.z': 1, 'arr.1': 20 } }),
    ).toEqual({ _id: 1, arr: [1, 20, 3], x: { y: { z: 1 } } });
  });

  it('$inc adds to existing numbers and creates missing fields', async () => {
    expect(await applyUpdate('inc', { n: 5 }, { $inc: { n: -2, fresh: 3 } })).toEqual({
      _id: 1,
      n: 3,
      fresh: 3,
    });
  });

  it('$min and $max only replace when the new value is lower / higher', async () => {
    expect(
      await applyUpdate(
        'minmax',
        { lo: 5, lo2: 1, hi: 5, hi2: 9 },
        { $min: { lo: 3, lo2: 4, loNew: 7 }, $max: { hi: 8, hi2: 2 } },
      ),
    ).toEqual({ _id: 1, lo: 3, lo2: 1, loNew: 7, hi: 8, hi2: 9 });
  });

  it('$mul multiplies, keeps the numeric type, and creates a missing field as zero', async () => {
    const coll = h.freshColl('mul');
    await coll.insertOne({ _id: 1, price: new Int32(5), rate: new Double(1.5) });
    await coll.updateOne(
      { _id: 1 },
      { $mul: { price: new Int32(2), rate: new Int32(2), missing: Long.fromNumber(4) } },
    );
    const doc = await coll.findOne({ _id: 1 }, { promoteValues: false });
    expect([bsonTypeOf(doc?.price), (doc?.price as Int32).value]).toEqual(['Int32', 10]);
    expect([bsonTypeOf(doc?.rate), (doc?.rate as Double).value]).toEqual(['Double', 3]);
    expect([bsonTypeOf(doc?.missing), (doc?.missing as Long).toString()]).toEqual(['Long', '0']);
  });

  it('$rename moves a field, including out of a nested document', async () => {
    expect(
      await applyUpdate(
        'rename',
        { nick: 'bo', a: { b: 1, c: 2 } },
        { $rename: { nick: 'alias', 'a.b': 'top' } },
      ),
    ).toEqual({ _id: 1, alias: 'bo', a: { c: 2 }, top: 1 });
  });

  it('$currentDate sets the server time as a Date', async () => {
    const before = Date.now();
    const doc = await applyUpdate(
      'curdate',
      {},
      { $currentDate: { at: true, also: { $type: 'date' } } },
    );
    const after = Date.now();
    expect(doc?.at).toBeInstanceOf(Date);
    expect(doc?.also).toBeInstanceOf(Date);
    const at = (doc?.at as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(after + 1000);
  });
});

describe('array update operators', () => {
  it('$push appends a value and creates the array when missing', async () => {
    expect(await applyUpdate('push', { a: [1] }, { $push: { a: 2, b: 'x' } })).toEqual({
      _id: 1,
      a: [1, 2],
      b: ['x'],
    });
  });

  it('$push with $each, $sort and $slice sorts the whole array and then trims it', async () => {
    expect(
      await applyUpdate(
        'pushsort',
        { scores: [1, 5] },
        { $push: { scores: { $each: [3, 9], $sort: -1, $slice: 3 } } },
      ),
    ).toEqual({ _id: 1, scores: [9, 5, 3] });
  });

  it('$push with a negative $slice keeps the last elements; $sort can sort subdocuments', async () => {
    expect(
      await applyUpdate(
        'pushslice',
        { a: [1, 2, 3], q: [{ n: 3 }, { n: 1 }] },
        {
          $push: {
            a: { $each: [4], $slice: -2 },
            q: { $each: [{ n: 2 }], $sort: { n: 1 } },
          },
        },
      ),
    ).toEqual({ _id: 1, a: [3, 4], q: [{ n: 1 }, { n: 2 }, { n: 3 }] });
  });

  it('$push with $position inserts at that index', async () => {
    expect(
      await applyUpdate(
        'pushpos',
        { letters: ['a', 'b'] },
        { $push: { letters: { $each: ['x', 'y'], $position: 1 } } },
      ),
    ).toEqual({ _id: 1, letters: ['a', 'x', 'y', 'b'] });
  });

  it('$addToSet with $each adds only values not already present', async () => {
    expect(
      await applyUpdate(
        'addtoset',
        { tags: ['a', 'b'] },
        { $addToSet: { tags: { $each: ['b', 'c'] }, other: 'z' } },
      ),
    ).toEqual({ _id: 1, tags: ['a', 'b', 'c'], other: ['z'] });
  });

  it('$addToSet of a present value is a no-op (modifiedCount 0)', async () => {
    const coll = h.freshColl('addtosetnoop');
    await coll.insertOne({ _id: 1, tags: ['a', 'b'] });
    const res = await coll.updateOne({ _id: 1 }, { $addToSet: { tags: 'a' } });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 0]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, tags: ['a', 'b'] });
  });

  it('$pull removes values matching a condition, including subdocuments by a query', async () => {
    expect(
      await applyUpdate(
        'pull',
        {
          scores: [1, 5, 7, 2, 5],
          items: [
            { sku: 'a', qty: 1 },
            { sku: 'b', qty: 5 },
            { sku: 'c', qty: 0 },
          ],
          words: ['x', 'y', 'x'],
        },
        { $pull: { scores: { $gte: 5 }, items: { qty: { $lt: 2 } }, words: 'x' } },
      ),
    ).toEqual({ _id: 1, scores: [1, 2], items: [{ sku: 'b', qty: 5 }], words: ['y'] });
  });

  it('$pullAll removes every instance of the listed values', async () => {
    expect(
      await applyUpdate('pullall', { a: [0, 2, 5, 5, 1, 0] }, { $pullAll: { a: [0, 5] } }),
    ).toEqual({ _id: 1, a: [2, 1] });
  });

  it('$pop removes the last (1) or first (-1) element', async () => {
    expect(
      await applyUpdate('pop', { a: [1, 2, 3], b: [1, 2, 3] }, { $pop: { a: 1, b: -1 } }),
    ).toEqual({ _id: 1, a: [1, 2], b: [2, 3] });
  });
});

describe('positional updates', () => {
  const items = [
    { sku: 'a', qty: 1 },
    { sku: 'b', qty: 2 },
    { sku: 'c', qty: 7 },
  ];

  it('$ updates the first array element matched by the query', async () => {
    const coll = h.freshColl('positional');
    await coll.insertMany([
      { _id: 1, items },
      { _id: 2, items: [{ sku: 'z', qty: 0 }] },
    ]);
    const res = await coll.updateOne({ 'items.sku': 'b' }, { $set: { 'items.$.qty': 5 } });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 1]);
    expect(await coll.findOne({ _id: 1 })).toEqual({
      _id: 1,
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 5 },
        { sku: 'c', qty: 7 },
      ],
    });
    expect(await coll.findOne({ _id: 2 })).toEqual({ _id: 2, items: [{ sku: 'z', qty: 0 }] });
  });

  it('$[] updates every element of the array', async () => {
    expect(await applyUpdate('allpos', { items }, { $inc: { 'items.$[].qty': 10 } })).toEqual({
      _id: 1,
      items: [
        { sku: 'a', qty: 11 },
        { sku: 'b', qty: 12 },
        { sku: 'c', qty: 17 },
      ],
    });
  });

  it('$[elem] with arrayFilters updates only the elements matching the filter', async () => {
    expect(
      await applyUpdate(
        'filtered',
        { items },
        { $set: { 'items.$[it].big': true } },
        { arrayFilters: [{ 'it.qty': { $gt: 1 } }] },
      ),
    ).toEqual({
      _id: 1,
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2, big: true },
        { sku: 'c', qty: 7, big: true },
      ],
    });
  });
});

describe('invalid updates fail with MongoDB error codes and change nothing', () => {
  async function failingUpdate(prefix: string, doc: Doc, update: Document): Promise<number> {
    const coll = h.freshColl(prefix);
    await coll.insertOne({ _id: 1, ...doc });
    const error = await serverErrorOf(coll.updateOne({ _id: 1 }, update));
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, ...doc });
    return error.code as number;
  }

  it('$inc on a non-numeric field fails with 14 (TypeMismatch)', async () => {
    expect(await failingUpdate('incstr', { a: 'text', n: 1 }, { $inc: { a: 1, n: 1 } })).toBe(14);
  });

  it('two operators on the same path fail with 40 (ConflictingUpdateOperators)', async () => {
    expect(await failingUpdate('conflict', { a: 1 }, { $set: { a: 2 }, $inc: { a: 1 } })).toBe(40);
  });

  it('$set through a scalar fails with 28 (PathNotViable)', async () => {
    expect(await failingUpdate('notviable', { a: 5 }, { $set: { 'a.b': 1 } })).toBe(28);
  });

  it('$push onto a non-array fails with 2 (BadValue)', async () => {
    expect(await failingUpdate('pushscalar', { tags: 'x' }, { $push: { tags: 'y' } })).toBe(2);
  });

  it('an unknown update operator fails with 9 (FailedToParse)', async () => {
    expect(await failingUpdate('unknownop', { a: 1 }, { $frobnicate: { a: 2 } })).toBe(9);
  });

  it('replaceOne with upsert inserts the replacement under the filter _id', async () => {
    const coll = h.freshColl('replaceupsert');
    const res = await coll.replaceOne({ _id: 'r' }, { v: 1 }, { upsert: true });
    expect([res.upsertedCount, res.upsertedId]).toEqual([1, 'r']);
    expect(await coll.find().toArray()).toEqual([{ _id: 'r', v: 1 }]);
  });
});

describe('_id is immutable', () => {
  it('replaceOne with a different _id fails with code 66 and changes nothing', async () => {
    const coll = h.freshColl('idreplace');
    await coll.insertOne({ _id: 1, a: 1 });
    const error = await serverErrorOf(coll.replaceOne({ _id: 1 }, { _id: 2, a: 2 }));
    expect(error.code).toBe(66);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, a: 1 }]);
  });

  it('updateOne setting a different _id fails with code 66 and changes nothing', async () => {
    const coll = h.freshColl('idset');
    await coll.insertOne({ _id: 1, a: 1 });
    const error = await serverErrorOf(coll.updateOne({ _id: 1 }, { $set: { _id: 2, a: 2 } }));
    expect(error.code).toBe(66);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, a: 1 }]);
  });

  it('setting _id to its current value is allowed, as is a replacement repeating it', async () => {
    const coll = h.freshColl('idsame');
    await coll.insertOne({ _id: 1, a: 1 });
    const set = await coll.updateOne({ _id: 1 }, { $set: { _id: 1, a: 2 } });
    expect([set.matchedCount, set.modifiedCount]).toEqual([1, 1]);
    const replace = await coll.replaceOne({ _id: 1 }, { _id: 1, b: 3 });
    expect([replace.matchedCount, replace.modifiedCount]).toEqual([1, 1]);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, b: 3 }]);
  });
});

describe('documents over 16 MiB are refused', () => {
  const MiB = 1024 * 1024;

  /** Errors thrown by Node/BSON internals come from another realm, so check the shape. */
  function expectErrorLike(error: unknown): void {
    expect(typeof error).toBe('object');
    expect(typeof (error as { message?: unknown }).message).toBe('string');
  }

  it('inserting a ~17 MiB document fails (the driver may refuse it first) and stores nothing', async () => {
    const coll = h.freshColl('bigins');
    expectErrorLike(await rejectionOf(coll.insertOne({ _id: 1, s: 'x'.repeat(17 * MiB) })));
    expect(await coll.countDocuments()).toBe(0);
    expect((await h.client.db('admin').command({ ping: 1 })).ok).toBe(1);
  }, 30_000);

  it('a raw insert command carrying a document just over 16 MiB is refused by the server', async () => {
    const db = h.freshDb('bigraw');
    let outcome: string;
    try {
      const reply = await db.command({
        insert: 'c',
        documents: [{ _id: 1, s: 'x'.repeat(16 * MiB + 1024) }],
      });
      const writeErrors = reply.writeErrors as unknown[] | undefined;
      outcome = reply.n === 0 && writeErrors?.length === 1 ? 'write error' : 'accepted';
    } catch (error) {
      outcome = error instanceof Error ? 'command error' : 'unknown';
    }
    expect(['write error', 'command error']).toContain(outcome);
    expect(await db.collection('c').countDocuments()).toBe(0);
  }, 30_000);

  it('an update $set growing a stored 9 MiB document past 16 MiB is refused by the server and changes nothing', async () => {
    const coll = h.freshColl('bigupd');
    const a = 'a'.repeat(9 * MiB);
    await coll.insertOne({ _id: 1, a, n: 1 });
    const error = await serverErrorOf(
      coll.updateOne({ _id: 1 }, { $set: { b: 'b'.repeat(9 * MiB), n: 2 } }),
    );
    expect(typeof error.code).toBe('number');
    const stored = await coll.findOne({ _id: 1 });
    expect(stored?.n).toBe(1);
    expect(stored?.b).toBeUndefined();
    expect(stored?.a === a).toBe(true);
    expect(Object.keys(stored ?? {})).toEqual(['_id', 'a', 'n']);
  }, 30_000);

  it('a single $set of two 9 MiB strings fails (the driver may refuse it first) and changes nothing', async () => {
    const coll = h.freshColl('bigupd2');
    await coll.insertOne({ _id: 1, n: 1 });
    expectErrorLike(
      await rejectionOf(
        coll.updateOne(
          { _id: 1 },
          { $set: { a: 'a'.repeat(9 * MiB), b: 'b'.repeat(9 * MiB), n: 2 } },
        ),
      ),
    );
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, n: 1 });
    expect((await h.client.db('admin').command({ ping: 1 })).ok).toBe(1);
  }, 30_000);
});
