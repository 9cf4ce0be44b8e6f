import { Decimal128, Long, MongoServerError, type Collection, type Filter } from 'mongodb';
import { rejectionOf, startHarness, stopHarness, type Doc, type Harness } from './harness';

let h: Harness;
let coll: Collection<Doc>;

/** A small fixed data set; every test reads it and none writes to it. */
const DOCS: Doc[] = [
  {
    _id: 1,
    name: 'Alice',
    age: 30,
    tags: ['admin', 'dev'],
    items: [
      { sku: 'a', qty: 10 },
      { sku: 'b', qty: 1 },
    ],
    address: { city: 'Oslo', zip: '0150' },
    score: 85,
    bonus: 90,
  },
  {
    _id: 2,
    name: 'bob',
    age: 25,
    tags: ['dev'],
    items: [{ sku: 'b', qty: 6 }],
    address: { city: 'Rome' },
    score: 70,
    bonus: 60,
  },
  {
    _id: 3,
    name: 'Carol',
    age: null,
    tags: [],
    items: [],
    address: { city: 'Oslo' },
    score: Long.fromNumber(99),
    bonus: 10,
  },
  { _id: 4, name: 'dave', tags: ['ops', 'dev', 'admin'], score: Decimal128.fromString('12.5') },
  { _id: 5, name: 'Eve', age: '40', tags: 'solo', score: 'n/a' },
];

beforeAll(async () => {
  h = await startHarness();
  coll = h.freshColl('queries');
  await coll.insertMany(DOCS.map((d) => ({ ...d })));
});

afterAll(() => stopHarness(h));

async function ids(filter: Filter<Doc>): Promise<unknown[]> {
  const docs = await coll.find(filter).sort({ _id: 1 }).toArray();
  return docs.map((d) => d._id);
}

describe('comparison operators', () => {
  it('$eq and implicit equality', async () => {
    expect(await ids({ name: { $eq: 'bob' } })).toEqual([2]);
    expect(await ids({ age: 30 })).toEqual([1]);
  });

  it('$ne also matches documents missing the field', async () => {
    expect(await ids({ age: { $ne: 30 } })).toEqual([2, 3, 4, 5]);
  });

  it('$gt, $gte, $lt, $lte compare within the numeric type bracket', async () => {
    expect(await ids({ age: { $gt: 25 } })).toEqual([1]);
    expect(await ids({ age: { $gte: 25 } })).toEqual([1, 2]);
    expect(await ids({ age: { $lt: 30 } })).toEqual([2]);
    expect(await ids({ age: { $lte: 30, $gt: 0 } })).toEqual([1, 2]);
    expect(await ids({ score: { $gt: 80 } })).toEqual([1, 3]);
  });

  it('$in and $nin, where $nin also matches missing fields and $in can look for null', async () => {
    expect(await ids({ age: { $in: [25, 30] } })).toEqual([1, 2]);
    expect(await ids({ age: { $in: [null] } })).toEqual([3, 4]);
    expect(await ids({ age: { $nin: [25, 30] } })).toEqual([3, 4, 5]);
    expect(await ids({ tags: { $in: ['ops', 'solo'] } })).toEqual([4, 5]);
  });

  it('{ field: null } matches null and missing fields', async () => {
    expect(await ids({ age: null })).toEqual([3, 4]);
    expect(await ids({ 'address.zip': null })).toEqual([2, 3, 4, 5]);
  });
});

describe('logical operators', () => {
  it('$and, $or and $nor combine conditions', async () => {
    expect(await ids({ $and: [{ tags: 'dev' }, { age: { $gte: 26 } }] })).toEqual([1]);
    expect(await ids({ $or: [{ name: 'bob' }, { 'address.city': 'Oslo' }] })).toEqual([1, 2, 3]);
    expect(await ids({ $nor: [{ tags: 'dev' }, { name: 'Eve' }] })).toEqual([3]);
  });

  it('$not negates an operator expression and matches missing fields', async () => {
    expect(await ids({ age: { $not: { $gt: 25 } } })).toEqual([2, 3, 4, 5]);
    expect(await ids({ name: { $not: /^[A-Z]/ } })).toEqual([2, 4]);
  });
});

describe('element operators', () => {
  it('$exists distinguishes present (even null) from missing', async () => {
    expect(await ids({ age: { $exists: true } })).toEqual([1, 2, 3, 5]);
    expect(await ids({ age: { $exists: false } })).toEqual([4]);
  });

  it('$type matches by BSON type name or alias', async () => {
    expect(await ids({ age: { $type: 'string' } })).toEqual([5]);
    expect(await ids({ age: { $type: 'null' } })).toEqual([3]);
    expect(await ids({ score: { $type: 'number' } })).toEqual([1, 2, 3, 4]);
    expect(await ids({ score: { $type: 'long' } })).toEqual([3]);
    expect(await ids({ score: { $type: ['decimal', 'string'] } })).toEqual([4, 5]);
    expect(await ids({ address: { $type: 'object' } })).toEqual([1, 2, 3]);
  });
});

describe('evaluation operators', () => {
  it('$regex matches strings, honouring options', async () => {
    expect(await ids({ name: { $regex: '^[a-c]' } })).toEqual([2]);
    expect(await ids({ name: { $regex: '^[a-c]', $options: 'i' } })).toEqual([1, 2, 3]);
    expect(await ids({ name: /E$/i })).toEqual([1, 4, 5]);
    expect(await ids({ tags: /^ad/ })).toEqual([1, 4]);
  });

  it('$mod matches by remainder', async () => {
    expect(await ids({ age: { $mod: [10, 0] } })).toEqual([1]);
    expect(await ids({ age: { $mod: [5, 0] } })).toEqual([1, 2]);
  });

  it('$expr compares fields of the same document', async () => {
    expect(await ids({ $expr: { $gt: ['$bonus', '$score'] } })).toEqual([1]);
    expect(await ids({ $expr: { $eq: [{ $size: { $ifNull: ['$items', []] } }, 1] } })).toEqual([2]);
  });
});

describe('array operators and dotted paths', () => {
  it('equality on an array field matches an element or the whole array', async () => {
    expect(await ids({ tags: 'dev' })).toEqual([1, 2, 4]);
    expect(await ids({ tags: ['admin', 'dev'] })).toEqual([1]);
    expect(await ids({ tags: ['dev', 'admin'] })).toEqual([]);
    expect(await ids({ tags: [] })).toEqual([3]);
  });

  it('$all requires every listed element', async () => {
    expect(await ids({ tags: { $all: ['admin', 'dev'] } })).toEqual([1, 4]);
    expect(await ids({ tags: { $all: ['solo'] } })).toEqual([5]);
  });

  it('$size matches arrays of an exact length', async () => {
    expect(await ids({ tags: { $size: 2 } })).toEqual([1]);
    expect(await ids({ tags: { $size: 0 } })).toEqual([3]);
    expect(await ids({ items: { $size: 1 } })).toEqual([2]);
  });

  it('$elemMatch needs one element to satisfy every condition', async () => {
    expect(await ids({ items: { $elemMatch: { sku: 'b', qty: { $gt: 5 } } } })).toEqual([2]);
    // without $elemMatch the conditions may be met by different elements
    expect(await ids({ 'items.sku': 'b', 'items.qty': { $gt: 5 } })).toEqual([1, 2]);
  });

  it('dotted paths reach into arrays of subdocuments and nested documents', async () => {
    expect(await ids({ 'items.sku': 'a' })).toEqual([1]);
    expect(await ids({ 'items.qty': { $lt: 5 } })).toEqual([1]);
    expect(await ids({ 'items.0.sku': 'b' })).toEqual([2]);
    expect(await ids({ 'address.city': 'Oslo' })).toEqual([1, 3]);
    expect(await ids({ address: { city: 'Oslo' } })).toEqual([3]);
  });
});

describe('errors, projections and multi-key sorts', () => {
  it('an unknown query operator fails with 2 (BadValue)', async () => {
    const error = await rejectionOf(
      coll.find({ age: { $frobnicate: 1 } } as Filter<Doc>).toArray(),
    );
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(2);
  });

  it('projection of a dotted path keeps only that subfield', async () => {
    const doc = await coll.findOne({ _id: 1 }, { projection: { 'address.city': 1 } });
    expect(doc).toEqual({ _id: 1, address: { city: 'Oslo' } });
  });

  it('$slice projection trims the array and keeps the other fields', async () => {
    const doc = await coll.findOne({ _id: 1 }, { projection: { items: { $slice: 1 } } });
    expect(doc?.items).toEqual([{ sku: 'a', qty: 10 }]);
    expect(doc?.name).toBe('Alice');
    expect(doc?.tags).toEqual(['admin', 'dev']);
  });

  it('the positional projection items.$ returns the first element matched by the query', async () => {
    const doc = await coll.findOne(
      { 'items.sku': 'b' },
      { projection: { 'items.$': 1 }, sort: { _id: 1 } },
    );
    expect(doc).toEqual({ _id: 1, items: [{ sku: 'b', qty: 1 }] });
  });

  it('sorting on several keys and on a dotted path', async () => {
    const docs = await coll
      .find({}, { projection: { _id: 1 } })
      .sort({ 'address.city': -1, name: 1 })
      .toArray();
    // Rome > Oslo (Alice < Carol) > missing (Eve < dave by binary order)
    expect(docs.map((d) => d._id)).toEqual([2, 1, 3, 5, 4]);
  });
});
