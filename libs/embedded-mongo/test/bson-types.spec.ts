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
  UUID,
} from 'mongodb';
import { bsonTypeOf, startHarness, stopHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

/** Exact read-back: no promotion of numeric wrappers, regexes as BSONRegExp. */
const EXACT = { promoteValues: false, bsonRegExp: true } as const;

describe('BSON values round-trip unchanged', () => {
  it('numeric types keep their exact BSON type and value', async () => {
    const coll = h.freshColl('numbers');
    await coll.insertOne({
      _id: 1,
      i32: new Int32(-7),
      longMax: Long.fromString('9223372036854775807'),
      longBeyondDouble: Long.fromString('9007199254740993'),
      longMin: Long.fromString('-9223372036854775808'),
      doubleOne: new Double(1),
      doubleFrac: new Double(2.5),
      doubleNegZero: new Double(-0),
      dec: Decimal128.fromString('1.50'),
      decBig: Decimal128.fromString('-12345678901234567890.123456789'),
      plainInt: 42,
      plainFrac: 0.1,
    });
    const doc = await coll.findOne({ _id: 1 }, EXACT);
    if (!doc) throw new Error('document not found');
    expect(bsonTypeOf(doc.i32)).toBe('Int32');
    expect((doc.i32 as Int32).value).toBe(-7);
    expect(bsonTypeOf(doc.longMax)).toBe('Long');
    expect((doc.longMax as Long).toString()).toBe('9223372036854775807');
    expect(bsonTypeOf(doc.longBeyondDouble)).toBe('Long');
    expect((doc.longBeyondDouble as Long).toString()).toBe('9007199254740993');
    expect(bsonTypeOf(doc.longMin)).toBe('Long');
    expect((doc.longMin as Long).toString()).toBe('-9223372036854775808');
    expect(bsonTypeOf(doc.doubleOne)).toBe('Double');
    expect((doc.doubleOne as Double).value).toBe(1);
    expect(bsonTypeOf(doc.doubleFrac)).toBe('Double');
    expect((doc.doubleFrac as Double).value).toBe(2.5);
    expect(bsonTypeOf(doc.doubleNegZero)).toBe('Double');
    expect(Object.is((doc.doubleNegZero as Double).value, -0)).toBe(true);
    expect(bsonTypeOf(doc.dec)).toBe('Decimal128');
    expect((doc.dec as Decimal128).toString()).toBe('1.50');
    expect((doc.decBig as Decimal128).toString()).toBe('-12345678901234567890.123456789');
    // the driver sends whole JS numbers as int32 and fractional ones as double
    expect(bsonTypeOf(doc.plainInt)).toBe('Int32');
    expect(bsonTypeOf(doc.plainFrac)).toBe('Double');
    expect((doc.plainFrac as Double).value).toBe(0.1);
  });

  it('the server itself distinguishes int, long, double and decimal ($type queries)', async () => {
    const coll = h.freshColl('types');
    await coll.insertMany([
      { _id: 'int', v: new Int32(1) },
      { _id: 'long', v: Long.fromNumber(1) },
      { _id: 'double', v: new Double(1) },
      { _id: 'decimal', v: Decimal128.fromString('1') },
    ]);
    const ids = async (type: string) =>
      (await coll.find({ v: { $type: type } }).toArray()).map((d) => d._id);
    expect(await ids('int')).toEqual(['int']);
    expect(await ids('long')).toEqual(['long']);
    expect(await ids('double')).toEqual(['double']);
    expect(await ids('decimal')).toEqual(['decimal']);
    expect((await ids('number')).sort()).toEqual(['decimal', 'double', 'int', 'long']);
  });

  it('dates, binaries, ObjectIds, timestamps, regexes, min/max keys and null are preserved', async () => {
    const coll = h.freshColl('others');
    const oid = new ObjectId('65a1b2c3d4e5f60718293a4b');
    const uuid = new UUID('0f8fad5b-d9cb-469f-a165-70867728950e');
    await coll.insertOne({
      _id: oid,
      date: new Date('2024-02-29T12:34:56.789Z'),
      preEpoch: new Date(-86_400_000 * 365),
      bin: new Binary(Buffer.from([0, 1, 2, 255]), 0x80),
      binGeneric: new Binary(Buffer.from('hello')),
      uuid,
      ts: new Timestamp({ t: 1_700_000_000, i: 7 }),
      re: new BSONRegExp('^ab+c$', 'im'),
      min: new MinKey(),
      max: new MaxKey(),
      nothing: null,
      yes: true,
      no: false,
      text: 'zero\u0000byte, ünïcødé and emoji 🚀',
      empty: '',
    });
    const doc = await coll.findOne({ _id: oid }, EXACT);
    if (!doc) throw new Error('document not found');
    expect(bsonTypeOf(doc._id)).toBe('ObjectId');
    expect((doc._id as ObjectId).toHexString()).toBe('65a1b2c3d4e5f60718293a4b');
    expect(doc.date).toEqual(new Date('2024-02-29T12:34:56.789Z'));
    expect(doc.preEpoch).toEqual(new Date(-86_400_000 * 365));
    expect(bsonTypeOf(doc.bin)).toBe('Binary');
    expect((doc.bin as Binary).sub_type).toBe(0x80);
    expect(Buffer.from((doc.bin as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((doc.binGeneric as Binary).sub_type).toBe(0);
    expect(Buffer.from((doc.binGeneric as Binary).buffer).toString()).toBe('hello');
    expect((doc.uuid as Binary).sub_type).toBe(4);
    expect((doc.uuid as Binary).toUUID().toHexString()).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(bsonTypeOf(doc.ts)).toBe('Timestamp');
    expect([(doc.ts as Timestamp).t, (doc.ts as Timestamp).i]).toEqual([1_700_000_000, 7]);
    expect(bsonTypeOf(doc.re)).toBe('BSONRegExp');
    expect([(doc.re as BSONRegExp).pattern, (doc.re as BSONRegExp).options]).toEqual([
      '^ab+c$',
      'im',
    ]);
    expect(bsonTypeOf(doc.min)).toBe('MinKey');
    expect(bsonTypeOf(doc.max)).toBe('MaxKey');
    expect(doc.nothing).toBeNull();
    expect('nothing' in doc).toBe(true);
    expect(doc.yes).toBe(true);
    expect(doc.no).toBe(false);
    expect(doc.text).toBe('zero\u0000byte, ünïcødé and emoji 🚀');
    expect(doc.empty).toBe('');
  });

  it('nested arrays and documents keep their structure, element types and field order', async () => {
    const coll = h.freshColl('nested');
    await coll.insertOne({
      _id: 1,
      arr: [1, [2, [3]]],
      mixed: [new Int32(1), Long.fromNumber(2), new Double(3), 'four', null, { five: 5 }, []],
      doc: { z: 1, a: { y: [{ k: 'v' }], b: {} }, m: 3 },
    });
    const plain = await coll.findOne({ _id: 1 });
    expect(plain?.arr).toEqual([1, [2, [3]]]);
    expect(Object.keys(plain?.doc as object)).toEqual(['z', 'a', 'm']);
    expect(plain?.doc).toEqual({ z: 1, a: { y: [{ k: 'v' }], b: {} }, m: 3 });
    const exact = await coll.findOne({ _id: 1 }, EXACT);
    expect((exact?.mixed as unknown[]).map(bsonTypeOf)).toEqual([
      'Int32',
      'Long',
      'Double',
      'string',
      'null',
      'Object',
      'Array',
    ]);
    expect(Object.keys(exact ?? {})).toEqual(['_id', 'arr', 'mixed', 'doc']);
  });

  it('updates keep BSON numeric types: int+int stays int, int+long is long, int+double is double', async () => {
    const coll = h.freshColl('arith');
    await coll.insertOne({
      _id: 1,
      a: new Int32(1),
      b: new Int32(1),
      c: new Int32(1),
      d: new Int32(2_147_483_647),
      e: Decimal128.fromString('1.50'),
    });
    await coll.updateOne(
      { _id: 1 },
      {
        $inc: {
          a: new Int32(1),
          b: Long.fromNumber(1),
          c: new Double(0.5),
          d: new Int32(1),
          e: Decimal128.fromString('1.25'),
        },
      },
    );
    const doc = await coll.findOne({ _id: 1 }, EXACT);
    if (!doc) throw new Error('document not found');
    expect([bsonTypeOf(doc.a), (doc.a as Int32).value]).toEqual(['Int32', 2]);
    expect([bsonTypeOf(doc.b), (doc.b as Long).toString()]).toEqual(['Long', '2']);
    expect([bsonTypeOf(doc.c), (doc.c as Double).value]).toEqual(['Double', 1.5]);
    // int32 overflow is promoted to a long rather than wrapping or becoming a double
    expect([bsonTypeOf(doc.d), (doc.d as Long).toString()]).toEqual(['Long', '2147483648']);
    expect([bsonTypeOf(doc.e), (doc.e as Decimal128).toString()]).toEqual(['Decimal128', '2.75']);
  });

  it('values read back through cursors (getMore batches) and aggregation keep their types', async () => {
    const coll = h.freshColl('cursor');
    await coll.insertMany(
      Array.from({ length: 5 }, (_, i) => ({
        _id: i,
        l: Long.fromString(`900719925474099${i}`),
        d: new Double(i),
      })),
    );
    const viaFind = await coll.find({}, EXACT).sort({ _id: 1 }).batchSize(2).toArray();
    expect(viaFind.map((d) => (d.l as Long).toString())).toEqual([
      '9007199254740990',
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '9007199254740994',
    ]);
    expect(viaFind.map((d) => bsonTypeOf(d.d))).toEqual(Array(5).fill('Double'));
    const viaAgg = await coll
      .aggregate([{ $sort: { _id: -1 } }, { $limit: 1 }], { promoteValues: false })
      .toArray();
    expect(bsonTypeOf(viaAgg[0]?.l)).toBe('Long');
    expect((viaAgg[0]?.l as Long).toString()).toBe('9007199254740994');
  });
});
