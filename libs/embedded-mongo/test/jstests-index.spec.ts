/**
 * Index expectations ported from MongoDB's jstests (mongodb/mongo, jstests/core/index/*.js and
 * query tests that repeat their checks under indexes). Each test names its jstest.
 */
import { MongoServerError, type Collection, type Document, type Filter } from 'mongodb';
import {
  createIndex,
  indexNames,
  rejectionOf,
  startHarness,
  stopHarness,
  type Doc,
  type Harness,
  serverCodeOf as codeOf,
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

async function seed(prefix: string, docs: Doc[]): Promise<Collection<Doc>> {
  const coll = h.freshColl(prefix);
  if (docs.length > 0) await coll.insertMany(docs.map((d) => ({ ...d })));
  return coll;
}

describe('partial indexes (index_partial_create_drop.js, index_partial_write_ops.js)', () => {
  it('invalid partialFilterExpression values are refused', async () => {
    const coll = await seed('pcd', [{ _id: 1 }]);
    for (const partialFilterExpression of [
      5,
      { x: { $asdasd: 3 } },
      { $and: 5 },
      { x: /abc/ },
      { $expr: { $eq: ['$x', 5] } },
    ]) {
      const error = await rejectionOf(
        createIndex(coll, { x: 1 }, { partialFilterExpression } as Document),
      );
      expect([partialFilterExpression, error instanceof MongoServerError]).toEqual([
        partialFilterExpression,
        true,
      ]);
    }
    expect(await indexNames(coll)).toEqual(['_id_']);
  });

  it('a partial index cannot also be sparse; sparse: false is accepted', async () => {
    const coll = await seed('pcd2', [{ _id: 1 }]);
    await codeOf(createIndex(coll, { x: 1 }, { partialFilterExpression: { a: 1 }, sparse: true }));
    await codeOf(
      createIndex(coll, { x: 1 }, { partialFilterExpression: { a: 1 }, sparse: 1 } as Document),
    );
    await createIndex(coll, { x: 1 }, { partialFilterExpression: { a: 1 }, sparse: false });
    expect(await indexNames(coll)).toEqual(['_id_', 'x_1']);
  });

  it('two partial indexes may share a key pattern under different names; dropping by key pattern is then ambiguous (181)', async () => {
    const coll = await seed('pcd3', [{ _id: 1, x: 1, a: 1 }]);
    await createIndex(
      coll,
      { x: 1 },
      { name: 'partialIndex1', partialFilterExpression: { a: { $lt: 5 } } },
    );
    await createIndex(
      coll,
      { x: 1 },
      { name: 'partialIndex2', partialFilterExpression: { a: { $gte: 5 } } },
    );
    expect(await indexNames(coll)).toEqual(['_id_', 'partialIndex1', 'partialIndex2']);
    expect(await codeOf(coll.dropIndex({ x: 1 } as unknown as string))).toBe(181);
    await coll.dropIndex('partialIndex2');
    expect(await indexNames(coll)).toEqual(['_id_', 'partialIndex1']);
  });

  it('a unique partial index only rejects duplicates among documents inside the filter (11000)', async () => {
    const coll = await seed('pwo', []);
    await createIndex(coll, { x: 1 }, { unique: true, partialFilterExpression: { a: 1 } });
    await coll.insertOne({ _id: 1, x: 5, a: 2, b: 1 });
    await coll.insertOne({ _id: 2, x: 6, a: 1, b: 1 });
    await coll.updateOne({ _id: 1 }, { $set: { a: 1 } });
    await coll.updateOne({ _id: 1 }, { $set: { a: 2 } });
    await coll.deleteMany({});
    await coll.insertOne({ _id: 3, x: 1, a: 1 });
    await coll.insertOne({ _id: 4, x: 1, a: 0 });
    expect(await codeOf(coll.insertOne({ _id: 5, x: 1, a: 1 }))).toBe(11000);
    await coll.deleteOne({ _id: 4 });
    expect(await codeOf(coll.insertOne({ _id: 6, x: 1, a: 1 }))).toBe(11000);
  });

  it('null_query_semantics.js: $ne null (also inside $elemMatch) is refused in a partial filter (67)', async () => {
    const coll = await seed('pne', [{ _id: 1 }]);
    expect(
      await codeOf(createIndex(coll, { a: 1 }, { partialFilterExpression: { a: { $ne: null } } })),
    ).toBe(67);
    expect(
      await codeOf(
        createIndex(
          coll,
          { a: 1 },
          { partialFilterExpression: { a: { $elemMatch: { $ne: null } } } },
        ),
      ),
    ).toBe(67);
  });
});

describe('queries give the same answers with indexes', () => {
  it('existsb.js: $exists counts are the same under plain, sparse, compound and sparse compound indexes', async () => {
    const docs: Doc[] = [
      { _id: 1 },
      { _id: 2, a: 1 },
      { _id: 3, b: 1 },
      { _id: 4, a: 1, b: null },
      { _id: 5, a: 1, b: 1 },
    ];
    const specs: [Document, Document][] = [
      [{ a: 1 }, {}],
      [{ a: 1 }, { sparse: true }],
      [{ a: 1, b: 1 }, {}],
      [{ a: 1, b: 1 }, { sparse: true }],
    ];
    for (const [keys, options] of specs) {
      const coll = await seed('existsbi', docs);
      await createIndex(coll, keys, options);
      const count = (filter: Document) => coll.countDocuments(filter);
      const counts = await Promise.all([
        count({ a: { $exists: true } }),
        count({ a: { $exists: false } }),
        count({ a: { $not: { $exists: true } } }),
        count({ a: 1, b: { $exists: true } }),
        count({ a: 1, b: { $exists: false } }),
        count({ a: { $exists: false }, b: { $exists: false } }),
      ]);
      expect([keys, options, counts]).toEqual([keys, options, [3, 2, 2, 2, 1, 1]]);
    }
  });

  it('exists.js: the nested $exists/null counts hold with indexes on every prefix', async () => {
    const coll = await seed('existsi', [
      { _id: 1 },
      { _id: 2, a: 1 },
      { _id: 3, a: { b: 1 } },
      { _id: 4, a: { b: { c: 1 } } },
      { _id: 5, a: { b: { c: { d: null } } } },
    ]);
    for (const keys of [{ a: 1 }, { 'a.b': 1 }, { 'a.b.c': 1 }, { 'a.b.c.d': 1 }] as Document[]) {
      await createIndex(coll, keys);
    }
    const count = (filter: Document) => coll.countDocuments(filter);
    expect(
      await Promise.all([
        count({ 'a.b.c': null }),
        count({ 'a.b.c.d': null }),
        count({ 'a.b': { $ne: null } }),
        count({ 'a.b.c.d': { $exists: true } }),
        count({ 'a.b.c.d': { $exists: false } }),
      ]),
    ).toEqual([3, 5, 3, 1, 4]);
    expect(
      await coll
        .find({ a: { $exists: false } })
        .hint({ a: 1 })
        .toArray(),
    ).toEqual([{ _id: 1 }]);
  });

  it('exists9.js: with an index on "a.0", {a: {"0": 1}} has a.0 and [] does not', async () => {
    const coll = await seed('exists9i', [
      { _id: 1, a: { '0': 1 } },
      { _id: 2, a: [] },
    ]);
    await createIndex(coll, { 'a.0': 1 });
    const ids = async (filter: Document) =>
      (
        await coll
          .find(filter as Filter<Doc>)
          .hint({ 'a.0': 1 })
          .toArray()
      ).map((d) => d._id);
    expect(await ids({ 'a.0': { $exists: true } })).toEqual([1]);
    expect(await ids({ 'a.0': { $exists: false } })).toEqual([2]);
  });

  it('all.js: $all answers are the same with an index on a', async () => {
    const coll = h.freshColl('alli');
    await createIndex(coll, { a: 1 });
    await coll.insertMany([
      { _id: 1, a: [1, 2, 3] },
      { _id: 2, a: [1, 2, 4] },
      { _id: 3, a: [1, 8, 5] },
      { _id: 4, a: [1, 8, 6] },
      { _id: 5, a: [1, 9, 7] },
      { _id: 6, a: [] },
      { _id: 7 },
    ]);
    const count = (filter: Document) => coll.countDocuments(filter);
    expect(
      await Promise.all([
        count({ a: { $all: [1] } }),
        count({ a: { $all: [1, 2] } }),
        count({ a: { $all: [2, 3] } }),
        count({ a: { $all: [] } }),
      ]),
    ).toEqual([5, 2, 1, 0]);
  });

  it('update7.js: multi updates through indexes on a, b and on the updated field itself', async () => {
    const coll = await seed('upd7i', [
      { _id: 1, x: 1, a: 1, b: 1 },
      { _id: 2, x: 5, a: 1, b: 2 },
    ]);
    await createIndex(coll, { a: 1 });
    await createIndex(coll, { b: 1 });
    const xs = async () => (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.x as number);
    await coll.updateMany({ a: 1 }, { $inc: { x: 1 } });
    expect(await xs()).toEqual([2, 6]);
    await coll.updateMany({ b: 1 }, { $inc: { x: 1 } });
    expect(await xs()).toEqual([3, 6]);
    await coll.updateMany({ b: 3 }, { $inc: { x: 1 } });
    expect(await xs()).toEqual([3, 6]);

    const c2 = await seed('upd7j', [
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
      { _id: 3, x: 3 },
    ]);
    await createIndex(c2, { x: 1 });
    await c2.updateMany({ x: { $gt: 0 } }, { $inc: { x: 5 } });
    expect((await c2.find().sort({ _id: 1 }).toArray()).map((d) => d.x as unknown)).toEqual([
      6, 7, 8,
    ]);
  });

  it('sort_array.js: with an index on a, multikey sort order is unchanged', async () => {
    const coll = h.freshColl('sortarri');
    await createIndex(coll, { a: 1 });
    await coll.insertMany([
      { _id: 0, a: [3, 0, 1] },
      { _id: 1, a: [0, 4, -1] },
    ]);
    const ids = async (sort: Record<string, 1 | -1>) =>
      (
        await coll
          .find({}, { projection: { _id: 1 } })
          .sort(sort)
          .toArray()
      ).map((d) => d._id);
    expect(await ids({ a: -1 })).toEqual([1, 0]);
    expect(await ids({ a: 1 })).toEqual([1, 0]);
  });

  it('sort_array.js: sort on "a.x" through single-element and two-element arrays, with and without an index', async () => {
    const coll = await seed('sortax', [
      { _id: 0, a: [{ x: 2 }, { x: 3 }] },
      { _id: 1, a: [{ x: 1 }, { x: 4 }] },
      { _id: 2, a: [{ x: 3 }, { x: 4 }] },
    ]);
    const ids = async () =>
      (
        await coll
          .find({}, { projection: { _id: 1 } })
          .sort({ 'a.x': 1 })
          .toArray()
      ).map((d) => d._id);
    expect(await ids()).toEqual([1, 0, 2]);
    await createIndex(coll, { 'a.x': 1 });
    expect(await ids()).toEqual([1, 0, 2]);
  });

  it('update_arraymatch7.js / update_arraymatch8.js: positional updates work the same with an index on the array path', async () => {
    const coll = h.freshColl('am7i');
    await createIndex(coll, { 'a.b': 1 });
    await coll.insertOne({ _id: 1, a: [{ b: 'match', count: 0 }] });
    await coll.updateOne({ 'a.b': 'match' }, { $inc: { 'a.$.count': 1 } });
    expect(await coll.findOne({ 'a.count': 1 })).not.toBeNull();

    const c2 = h.freshColl('am8i');
    await createIndex(c2, { 'array.name': 1 });
    await c2.insertOne({ _id: 0, array: Array.from({ length: 20 }, () => ({ name: 'old' })) });
    await c2.updateOne({ _id: 0 }, { $set: { 'array.12.name': 'new' } });
    expect(await c2.findOne({ 'array.name': 'new' })).not.toBeNull();
    expect(await c2.findOne({ 'array.name': 'old' })).not.toBeNull();
    await c2.updateOne({ 'array.name': 'new' }, { $set: { 'array.$.name': 'newer' } });
    expect(await c2.findOne({ 'array.name': 'new' })).toBeNull();
  });
});
