import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'mongodb';
import { createIndex, startHarness, stopHarness, type Doc, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

/**
 * One value per BSON type (several per type where the in-type order matters), listed in
 * MongoDB's ascending sort order. `undefined` means the field is missing.
 */
const ASCENDING: [label: string, value: unknown][] = [
  ['minKey', new MinKey()],
  ['null', null],
  ['missing', undefined],
  ['long -5', Long.fromNumber(-5)],
  ['int 1', new Int32(1)],
  ['double 1.5', new Double(1.5)],
  ['long 2', Long.fromNumber(2)],
  ['decimal 2.5', Decimal128.fromString('2.5')],
  ['int 3', new Int32(3)],
  ['string B', 'B'],
  ['string a', 'a'],
  ['string ab', 'ab'],
  ['object a:1', { a: 1 }],
  ['object a:2', { a: 2 }],
  // BinData orders by length first, then subtype, then bytes
  ['binary len1 subtype5', new Binary(Buffer.from([9]), 5)],
  ['binary len2 subtype0', new Binary(Buffer.from([0, 0]), 0)],
  ['objectId 01', new ObjectId('000000000000000000000001')],
  ['objectId 10', new ObjectId('100000000000000000000000')],
  ['false', false],
  ['true', true],
  ['date pre-epoch', new Date(-1000)],
  ['date', new Date(1000)],
  ['timestamp 1', new Timestamp({ t: 1, i: 1 })],
  ['timestamp 2', new Timestamp({ t: 2, i: 0 })],
  ['regex', new BSONRegExp('a', '')],
  ['maxKey', new MaxKey()],
];

function docsFor(entries: [string, unknown][]): Doc[] {
  return entries.map(([label, value], index) =>
    value === undefined ? { _id: index, label } : { _id: index, label, v: value },
  );
}

async function labels(cursorDocs: Promise<Doc[]>): Promise<unknown[]> {
  return (await cursorDocs).map((d) => d.label as unknown);
}

describe('sort follows the BSON comparison order', () => {
  it('ascending: minKey < null = missing < numbers < strings < objects < binData < ObjectId < bool < date < timestamp < regex < maxKey', async () => {
    const coll = h.freshColl('sortasc');
    await coll.insertMany(docsFor(ASCENDING));
    // _id breaks the null/missing tie deterministically
    const sorted = await labels(coll.find().sort({ v: 1, _id: 1 }).toArray());
    expect(sorted).toEqual(ASCENDING.map(([label]) => label));
  });

  it('descending is the exact reverse (null and missing still tie)', async () => {
    const coll = h.freshColl('sortdesc');
    await coll.insertMany(docsFor(ASCENDING));
    const sorted = await labels(coll.find().sort({ v: -1, _id: 1 }).toArray());
    const expected = ASCENDING.map(([label]) => label).reverse();
    // null (_id 1) and missing (_id 2) compare equal, so the _id tiebreak keeps null first
    const nullAt = expected.indexOf('null');
    expected.splice(nullAt - 1, 2, 'null', 'missing');
    expect(sorted).toEqual(expected);
  });

  it('the same order holds when sorting through an index', async () => {
    const coll = h.freshColl('sortidx');
    await coll.insertMany(docsFor(ASCENDING));
    await createIndex(coll, { v: 1, _id: 1 });
    const sorted = await labels(
      coll.find().sort({ v: 1, _id: 1 }).hint({ v: 1, _id: 1 }).toArray(),
    );
    expect(sorted).toEqual(ASCENDING.map(([label]) => label));
  });

  it('arrays sort by their smallest element ascending and their largest descending', async () => {
    const coll = h.freshColl('sortarr');
    await coll.insertMany([
      { _id: 'a', v: [1, 10] },
      { _id: 'b', v: 5 },
      { _id: 'c', v: [3, 4] },
    ]);
    const asc = await coll.find().sort({ v: 1 }).toArray();
    expect(asc.map((d) => d._id)).toEqual(['a', 'c', 'b']);
    const desc = await coll.find().sort({ v: -1 }).toArray();
    expect(desc.map((d) => d._id)).toEqual(['a', 'b', 'c']);
  });

  it('an empty array sorts before null and missing', async () => {
    const coll = h.freshColl('sortempty');
    await coll.insertMany([
      { _id: 1, v: 0 },
      { _id: 2, v: null },
      { _id: 3, v: [] },
    ]);
    expect((await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id)).toEqual([3, 2, 1]);
    expect((await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
  });
});

describe('numbers compare by value across int32, int64, double and decimal128', () => {
  async function seeded(prefix: string) {
    const coll = h.freshColl(prefix);
    await coll.insertMany([
      { _id: 'int 3', v: new Int32(3) },
      { _id: 'long 3', v: Long.fromNumber(3) },
      { _id: 'double 2.5', v: new Double(2.5) },
      { _id: 'decimal 2.0000001', v: Decimal128.fromString('2.0000001') },
      { _id: 'decimal 2.0', v: Decimal128.fromString('2.0') },
      { _id: 'int 2', v: new Int32(2) },
      { _id: 'long 1', v: Long.fromNumber(1) },
      { _id: 'string 3', v: '3' },
      { _id: 'null', v: null },
      { _id: 'missing' },
      { _id: 'date', v: new Date(5000) },
      { _id: 'true', v: true },
      { _id: 'object', v: { x: 3 } },
      { _id: 'int 5', v: new Int32(5) },
      { _id: 'long 5', v: Long.fromNumber(5) },
      { _id: 'double 5', v: new Double(5) },
      { _id: 'decimal 5.00', v: Decimal128.fromString('5.00') },
      { _id: 'decimal 5.000001', v: Decimal128.fromString('5.000001') },
      { _id: 'string 5', v: '5' },
    ]);
    return coll;
  }

  const idsOf = (docs: Doc[]): unknown[] => docs.map((d) => d._id).sort();

  it('$gt 2 matches every numeric type above 2 and nothing of other types', async () => {
    const coll = await seeded('gt');
    expect(idsOf(await coll.find({ v: { $gt: 2 } }).toArray())).toEqual(
      [
        'int 3',
        'long 3',
        'double 2.5',
        'decimal 2.0000001',
        'int 5',
        'long 5',
        'double 5',
        'decimal 5.00',
        'decimal 5.000001',
      ].sort(),
    );
  });

  it('equality with 5 matches Int32 5, Long 5, Double 5.0 and Decimal128 5.00 only', async () => {
    const coll = await seeded('eq');
    expect(idsOf(await coll.find({ v: 5 }).toArray())).toEqual(
      ['int 5', 'long 5', 'double 5', 'decimal 5.00'].sort(),
    );
    expect(idsOf(await coll.find({ v: Decimal128.fromString('5') }).toArray())).toEqual(
      ['int 5', 'long 5', 'double 5', 'decimal 5.00'].sort(),
    );
    expect(idsOf(await coll.find({ v: { $in: [Long.fromNumber(3)] } }).toArray())).toEqual([
      'int 3',
      'long 3',
    ]);
  });

  it('an index-backed range scan returns the same numeric matches', async () => {
    const coll = await seeded('gtidx');
    await createIndex(coll, { v: 1 });
    const viaIndex = await coll
      .find({ v: { $gt: 2, $lte: 5 } })
      .hint({ v: 1 })
      .toArray();
    expect(idsOf(viaIndex)).toEqual(
      [
        'int 3',
        'long 3',
        'double 2.5',
        'decimal 2.0000001',
        'int 5',
        'long 5',
        'double 5',
        'decimal 5.00',
      ].sort(),
    );
  });

  it('type bracketing: numeric ranges never match strings, dates, booleans or objects', async () => {
    const coll = await seeded('bracket');
    const gt1 = idsOf(await coll.find({ v: { $gt: 1 } }).toArray());
    expect(gt1).not.toContain('string 3');
    expect(gt1).not.toContain('string 5');
    expect(gt1).not.toContain('date');
    expect(gt1).not.toContain('true');
    expect(gt1).not.toContain('object');
    expect(gt1).toHaveLength(11);
    expect(idsOf(await coll.find({ v: { $lt: 'zzz' } }).toArray())).toEqual([
      'string 3',
      'string 5',
    ]);
    expect(idsOf(await coll.find({ v: { $gte: new Date(0) } }).toArray())).toEqual(['date']);
    expect(idsOf(await coll.find({ v: { $lt: 100 } }).toArray())).not.toContain('null');
  });

  it('64-bit integers beyond 2^53 compare exactly against longs and doubles', async () => {
    const coll = h.freshColl('bigint');
    await coll.insertMany([
      { _id: 'long ...993', v: Long.fromString('9007199254740993') },
      { _id: 'long ...992', v: Long.fromString('9007199254740992') },
      { _id: 'double 2^53', v: new Double(9007199254740992) },
    ]);
    expect(idsOf(await coll.find({ v: Long.fromString('9007199254740993') }).toArray())).toEqual([
      'long ...993',
    ]);
    expect(idsOf(await coll.find({ v: { $gt: new Double(9007199254740992) } }).toArray())).toEqual([
      'long ...993',
    ]);
    expect(idsOf(await coll.find({ v: Long.fromString('9007199254740992') }).toArray())).toEqual([
      'double 2^53',
      'long ...992',
    ]);
    const sorted = await coll.find().sort({ v: -1, _id: 1 }).toArray();
    expect(sorted[0]?._id).toBe('long ...993');
  });

  it('an array field matches a range if any element does', async () => {
    const coll = h.freshColl('arrrange');
    await coll.insertMany([
      { _id: 1, v: [1, 7] },
      { _id: 2, v: [1, 2] },
      { _id: 3, v: ['9', 1] },
    ]);
    expect(idsOf(await coll.find({ v: { $gt: 5 } }).toArray())).toEqual([1]);
    expect(idsOf(await coll.find({ v: { $lt: 2 } }).toArray())).toEqual([1, 2, 3]);
  });
});
