/**
 * Answers that differed from MongoDB 7.0 through the driver and Mongoose: `__proto__` as a field
 * name, `$pull` with `$or`/`$and`, `$elemMatch` over DBRefs, the order of a hinted scan, and
 * the error for an unknown pipeline stage.
 */
import { DBRef, ObjectId } from 'mongodb';
import mongoose, { Schema, type Connection } from 'mongoose';
import {
  createIndex,
  type Doc,
  type Harness,
  pathOf,
  serverErrorOf,
  startHarness,
  stopHarness,
} from './harness';

let h: Harness | undefined;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await stopHarness(h);
});

function harness(): Harness {
  if (!h) throw new Error('harness not started');
  return h;
}

/** A document whose own field `__proto__` holds `value` (a literal `__proto__:` sets the prototype). */
function withProtoField(value: unknown): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  Object.defineProperty(doc, '__proto__', {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return doc;
}

function ownProto(doc: unknown): unknown {
  return Object.getOwnPropertyDescriptor(doc, '__proto__')?.value;
}

describe('__proto__ is an ordinary field name', () => {
  it('$set of __proto__.polluted stores the field and keeps the document findable by _id', async () => {
    const coll = harness().freshColl('proto');
    await coll.insertMany([
      { _id: 1, a: 1 },
      { _id: 2, a: 2 },
    ]);
    const result = await coll.updateOne({ _id: 1 }, { $set: { '__proto__.polluted': 1 } });
    expect(result.modifiedCount).toBe(1);
    const found = await coll.findOne({ _id: 1 });
    expect(found).not.toBeNull();
    expect(found?.a).toBe(1);
    expect(ownProto(found)).toEqual({ polluted: 1 });
    expect(await coll.countDocuments({ '__proto__.polluted': 1 })).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Updating it again goes through the same document, not a copy.
    await coll.updateOne({ _id: 1 }, { $inc: { '__proto__.polluted': 1 } });
    expect(ownProto(await coll.findOne({ _id: 1 }))).toEqual({ polluted: 2 });
    expect(await coll.countDocuments({})).toBe(2);
  });

  it('$set of a top-level __proto__ field and $unset of it', async () => {
    const coll = harness().freshColl('proto');
    await coll.insertOne({ _id: 1 });
    await coll.updateOne({ _id: 1 }, { $set: withProtoField(5) });
    expect(ownProto(await coll.findOne({ _id: 1 }))).toBe(5);
    await coll.updateOne({ _id: 1 }, { $unset: withProtoField('') });
    const found = await coll.findOne({ _id: 1 });
    expect(found).toEqual({ _id: 1 });
    expect(Object.hasOwn(found ?? {}, '__proto__')).toBe(false);
  });

  it('$set of a sub-document with a __proto__ key keeps it, as an insert does', async () => {
    const coll = harness().freshColl('proto');
    await coll.insertOne({ _id: 1, b: withProtoField('x') });
    await coll.insertOne({ _id: 2 });
    await coll.updateOne({ _id: 2 }, { $set: { b: withProtoField('x') } });
    expect(ownProto((await coll.findOne({ _id: 1 }))?.b)).toBe('x');
    expect(ownProto((await coll.findOne({ _id: 2 }))?.b)).toBe('x');
    expect(await coll.countDocuments({ 'b.__proto__': 'x' })).toBe(2);
  });

  it('replacements, projections and aggregation keep a __proto__ field', async () => {
    const coll = harness().freshColl('proto');
    await coll.insertOne({ _id: 1 });
    await coll.replaceOne({ _id: 1 }, { ...withProtoField({ k: 1 }), z: 1 });
    expect(ownProto(await coll.findOne({ _id: 1 }))).toEqual({ k: 1 });
    const projected = await coll.findOne({ _id: 1 }, { projection: { '__proto__.k': 1 } });
    expect(ownProto(projected)).toEqual({ k: 1 });
    expect(projected?.z).toBeUndefined();
    const [viaMatch] = await coll.aggregate([{ $match: { '__proto__.k': 1 } }]).toArray();
    expect(ownProto(viaMatch)).toEqual({ k: 1 });
    // The driver appends a generated _id last; the store moves it first and keeps the field.
    await coll.insertOne({ ...withProtoField('v'), tag: 'no-id' });
    expect(ownProto(await coll.findOne({ tag: 'no-id' }))).toBe('v');
  });
});

describe('__proto__ in indexes', () => {
  it('an index on __proto__ finds documents and names the field in E11000', async () => {
    const coll = harness().freshColl('proto');
    await createIndex(coll, withProtoField(1) as Record<string, 1>, { unique: true });
    await coll.insertOne({ _id: 1, ...withProtoField(7) });
    const found = await coll.find(withProtoField(7)).explain('executionStats');
    expect(pathOf(found, 'executionStats.nReturned')).toBe(1);
    const error = await serverErrorOf(coll.insertOne({ _id: 2, ...withProtoField(7) }));
    expect(error.code).toBe(11000);
    expect(ownProto(error.keyValue)).toBe(7);
    await coll.updateOne(
      { _id: 1 },
      { $rename: withProtoField('moved') as Record<string, string> },
    );
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, moved: 7 });
  });
});

describe('$pull with $or and $and', () => {
  it('removes the elements matching an $or or an $and condition', async () => {
    const coll = harness()
      .freshDb('pull')
      .collection<{ _id: number; arr: ({ a: number; b?: number } | number)[] }>('c');
    await coll.insertOne({
      _id: 1,
      arr: [{ a: 1, b: 1 }, { a: 2, b: 2 }, { a: 3 }, 7],
    });
    await coll.updateOne({ _id: 1 }, { $pull: { arr: { $or: [{ a: 1 }, { a: 3 }] } } });
    expect((await coll.findOne({ _id: 1 }))?.arr).toEqual([{ a: 2, b: 2 }, 7]);
    await coll.updateOne({ _id: 1 }, { $pull: { arr: { $and: [{ a: 2 }, { b: 2 }] } } });
    expect((await coll.findOne({ _id: 1 }))?.arr).toEqual([7]);
  });

  it("Mongoose's pull of subdocuments without _id", async () => {
    let conn: Connection | undefined;
    try {
      conn = await mongoose
        .createConnection(`${harness().server.uri}pull_mongoose`, {
          serverSelectionTimeoutMS: 3000,
        })
        .asPromise();
      const Item = conn.model(
        'Item',
        new Schema({
          tags: [new Schema({ k: String, v: Number }, { _id: false })],
        }),
      );
      const item = await Item.create({
        tags: [
          { k: 'a', v: 1 },
          { k: 'b', v: 2 },
          { k: 'c', v: 3 },
        ],
      });
      item.tags.pull({ k: 'a', v: 1 }, { k: 'c', v: 3 });
      await item.save();
      const reloaded = await Item.findById(item._id).lean();
      expect(reloaded?.tags).toEqual([{ k: 'b', v: 2 }]);
    } finally {
      await conn?.close();
    }
  });
});

describe('$elemMatch over DBRefs', () => {
  it('matches $id, $ref and $db fields of array elements', async () => {
    const coll = harness().freshColl('dbref');
    const [x, y] = [new ObjectId(), new ObjectId()];
    await coll.insertMany([
      { _id: 1, refs: [new DBRef('users', x), new DBRef('users', y, 'other')] },
      { _id: 2, refs: [new DBRef('groups', x)] },
      { _id: 3, refs: [{ $ref: 'users', $id: y }] },
    ]);
    const ids = async (filter: Record<string, unknown>): Promise<unknown[]> =>
      (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ refs: { $elemMatch: { $id: x } } })).toEqual([1, 2]);
    expect(await ids({ refs: { $elemMatch: { $ref: 'users', $id: y } } })).toEqual([1, 3]);
    expect(await ids({ refs: { $elemMatch: { $db: 'other' } } })).toEqual([1]);
    expect(await ids({ refs: { $elemMatch: { $ref: 'groups', $id: { $in: [x, y] } } } })).toEqual([
      2,
    ]);
  });
});

describe('hint gives the hinted index order', () => {
  async function seeded() {
    const coll = harness().freshColl('hint');
    await coll.insertMany([
      { _id: 1, a: 3, b: 1 },
      { _id: 2, a: 1, b: 1 },
      { _id: 3, a: 2, b: 1 },
      { _id: 4, a: 1, b: 2 },
    ]);
    await createIndex(coll, { a: 1 });
    await createIndex(coll, { a: -1, b: 1 });
    return coll;
  }

  it('find returns documents in index order without a sort', async () => {
    const coll = await seeded();
    const ids = async (hint: Record<string, number> | string): Promise<unknown[]> =>
      (await coll.find({}, { hint }).toArray()).map((d) => d._id);
    expect(await ids({ a: 1 })).toEqual([2, 4, 3, 1]);
    expect(await ids('a_1')).toEqual([2, 4, 3, 1]);
    expect(await ids({ a: -1, b: 1 })).toEqual([1, 3, 2, 4]);
    expect((await coll.find({ b: 1 }, { hint: { a: 1 } }).toArray()).map((d) => d._id)).toEqual([
      2, 3, 1,
    ]);
  });

  it('aggregate returns documents in index order without a sort', async () => {
    const coll = await seeded();
    const ids = async (pipeline: Record<string, unknown>[], hint: unknown): Promise<unknown[]> =>
      (await coll.aggregate<Doc>(pipeline, { hint: hint as string }).toArray()).map((d) => d._id);
    expect(await ids([], { a: 1 })).toEqual([2, 4, 3, 1]);
    expect(await ids([{ $match: {} }], 'a_-1_b_1')).toEqual([1, 3, 2, 4]);
    expect(await ids([{ $match: { b: 1 } }, { $project: { a: 1 } }], { a: 1 })).toEqual([2, 3, 1]);
  });
});

describe('unknown pipeline stage', () => {
  it("answers 40324 Unrecognized pipeline stage name: '$foo'", async () => {
    const coll = harness().freshColl('stage');
    await coll.insertOne({ _id: 1 });
    const error = await serverErrorOf(coll.aggregate([{ $foo: {} }]).toArray());
    expect(error.code).toBe(40324);
    expect(error.codeName).toBe('Location40324');
    expect(error.message).toBe("Unrecognized pipeline stage name: '$foo'");
    const nested = await serverErrorOf(
      coll.aggregate([{ $match: {} }, { $project: { _id: 1 } }, { $bar: 1 }]).toArray(),
    );
    expect(nested.code).toBe(40324);
    expect(nested.message).toBe("Unrecognized pipeline stage name: '$bar'");
    const empty = harness().freshColl('stage');
    expect((await serverErrorOf(empty.aggregate([{ $baz: {} }]).toArray())).code).toBe(40324);
  });
});
