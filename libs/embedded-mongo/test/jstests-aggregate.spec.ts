/**
 * Aggregation expectations ported from MongoDB's jstests (mongodb/mongo, jstests/aggregation/...).
 * Each test names the jstest it comes from and asserts what that jstest asserts.
 */
import { Int32, Long, type Collection, type Document } from 'mongodb';
import { bsonTypeOf, startHarness, stopHarness, type Doc, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

async function seed(prefix: string, docs: Doc[], name = 'c'): Promise<Collection<Doc>> {
  const db = h.freshDb(prefix);
  const coll = db.collection<Doc>(name);
  if (docs.length > 0) await coll.insertMany(docs.map((d) => ({ ...d })));
  return coll;
}

/** Sorts documents by their JSON rendering, for comparisons where order is not specified. */
function unordered(docs: unknown[]): string[] {
  return docs.map((d) => JSON.stringify(d)).sort();
}

describe('$unwind (jstests/aggregation/sources/unwind/*.js)', () => {
  it('unwind_preserve_null_and_empty_arrays.js: missing, null and [] produce nothing unless preserved', async () => {
    for (const [doc, preserved] of [
      [{ _id: 0 }, { _id: 0 }],
      [
        { _id: 0, x: null },
        { _id: 0, x: null },
      ],
      [{ _id: 0, x: [] }, { _id: 0 }],
    ] as [Doc, Doc][]) {
      const coll = await seed('unwindp', [doc]);
      expect(
        await coll
          .aggregate([{ $unwind: { path: '$x', preserveNullAndEmptyArrays: true } }])
          .toArray(),
      ).toEqual([preserved]);
      expect(await coll.aggregate([{ $unwind: { path: '$x' } }]).toArray()).toEqual([]);
    }
  });

  it('unwind_include_array_index.js: includeArrayIndex adds a long index, or null for non-arrays', async () => {
    const coll = await seed('unwindi', [
      { _id: 0 },
      { _id: 1, x: null },
      { _id: 2, x: [] },
      { _id: 3, x: [1, 2, 3] },
      { _id: 4, x: 5 },
    ]);
    expect(
      await coll.aggregate([{ $unwind: { path: '$x' } }, { $sort: { _id: 1, x: 1 } }]).toArray(),
    ).toEqual([
      { _id: 3, x: 1 },
      { _id: 3, x: 2 },
      { _id: 3, x: 3 },
      { _id: 4, x: 5 },
    ]);
    expect(
      await coll
        .aggregate([
          { $unwind: { path: '$x', includeArrayIndex: 'index' } },
          { $sort: { _id: 1, x: 1 } },
        ])
        .toArray(),
    ).toEqual([
      { _id: 3, x: 1, index: 0 },
      { _id: 3, x: 2, index: 1 },
      { _id: 3, x: 3, index: 2 },
      { _id: 4, x: 5, index: null },
    ]);
    expect(
      await coll
        .aggregate([
          { $unwind: { path: '$x', includeArrayIndex: 'index', preserveNullAndEmptyArrays: true } },
          { $sort: { _id: 1, x: 1 } },
        ])
        .toArray(),
    ).toEqual([
      { _id: 0, index: null },
      { _id: 1, x: null, index: null },
      { _id: 2, index: null },
      { _id: 3, x: 1, index: 0 },
      { _id: 3, x: 2, index: 1 },
      { _id: 3, x: 3, index: 2 },
      { _id: 4, x: 5, index: null },
    ]);
    const raw = await coll
      .aggregate(
        [{ $unwind: { path: '$x', includeArrayIndex: 'index' } }, { $sort: { _id: 1, x: 1 } }],
        {
          promoteValues: false,
        },
      )
      .toArray();
    expect(bsonTypeOf(raw[0].index)).toBe('Long'); // NumberLong(0) in the jstest
  });
});

describe('$group (jstests/aggregation/sources/group/*.js, accumulators/*.js)', () => {
  it('groupMissing.js: null and missing group together under _id null', async () => {
    const coll = await seed('grpmiss', [{ _id: 1, a: null }, { _id: 2 }]);
    const res = await coll.aggregate([{ $group: { _id: '$a' } }]).toArray();
    expect(res).toEqual([{ _id: null }]);
  });

  it('groupMissing.js: in a compound _id a missing field is omitted, a null one kept', async () => {
    const coll = await seed('grpmiss2', [
      { _id: 1, a: null, b: 1 },
      { _id: 2, b: 1 },
      { _id: 3, a: null, b: 1 },
    ]);
    const res = await coll.aggregate([{ $group: { _id: { a: '$a', b: '$b' } } }]).toArray();
    expect(unordered(res)).toEqual(unordered([{ _id: { b: 1 } }, { _id: { a: null, b: 1 } }]));
  });

  it('groupMissing.js: $project of a missing field leaves it out', async () => {
    const coll = await seed('grpmiss3', [
      { _id: 1, a: 1, b: null },
      { _id: 2, a: null, b: 1 },
      { _id: 3, b: 1 },
      { _id: 4, a: 1 },
    ]);
    const res = await coll
      .aggregate([{ $match: { a: 1 } }, { $project: { _id: 0, a: 1, b: 1 } }])
      .toArray();
    expect(unordered(res)).toEqual(unordered([{ a: 1, b: null }, { a: 1 }]));
  });

  it('avg_ignore_missing.js: $avg ignores missing values, for doubles and longs', async () => {
    const c1 = await seed('avg', [{ a: 1 }, { a: 4 }, { b: 1 }]);
    expect(
      (await c1.aggregate([{ $group: { _id: null, avg: { $avg: '$a' } } }]).toArray())[0].avg,
    ).toBe(2.5);
    const c2 = await seed('avg2', [
      { a: Long.fromNumber(1) },
      { a: Long.fromNumber(4) },
      { b: Long.fromNumber(1) },
    ]);
    expect(
      (await c2.aggregate([{ $group: { _id: null, avg: { $avg: '$a' } } }]).toArray())[0].avg,
    ).toBe(2.5);
  });

  it('numeric_grouping.js: int, long and double keys of equal value form one group', async () => {
    const coll = await seed('numgrp', [
      { key: new Int32(24), value: 17 },
      { key: Long.fromNumber(24), value: 8 },
      { key: 24, value: 5 },
      { key: new Int32(42), value: 11 },
      { key: Long.fromNumber(42), value: 13 },
      { key: 42, value: 6 },
    ]);
    const res = await coll
      .aggregate([{ $group: { _id: '$key', s: { $sum: '$value' } } }])
      .toArray();
    expect(res).toHaveLength(2);
    expect(res.map((r) => r.s as number)).toEqual([30, 30]);
  });

  it('firstlast.js: $first/$last follow the input order, $sort, $skip and $limit', async () => {
    const coll = await seed('firstlast', [
      { _id: 1, a: 3, b: 0 },
      { _id: 2, a: 1, b: 1 },
      { _id: 3, a: 1, b: 2 },
      { _id: 4, a: 1, b: 3 },
      { _id: 5, a: 2, b: 0 },
    ]);
    const firstLast = async (stages: Document[], expr: unknown = '$b') => {
      const res = await coll
        .aggregate([
          { $sort: { _id: 1 } },
          ...stages,
          { $group: { _id: '$a', first: { $first: expr }, last: { $last: expr } } },
        ])
        .toArray();
      const group = res.find((r) => r._id === 1);
      return [group?.first as unknown, group?.last as unknown];
    };
    expect(await firstLast([])).toEqual([1, 3]);
    expect(
      await firstLast([{ $project: { x: '$a', y: '$b' } }, { $project: { a: '$x', b: '$y' } }]),
    ).toEqual([1, 3]);
    expect(await firstLast([{ $sort: { b: -1 } }])).toEqual([3, 1]);
    expect(await firstLast([{ $match: { a: 1 } }, { $limit: 2 }])).toEqual([1, 2]);
    expect(await firstLast([{ $match: { a: 1 } }, { $skip: 1 }, { $limit: 2 }])).toEqual([2, 3]);
    expect(await firstLast([{ $match: { a: 1 } }, { $skip: 1 }, { $limit: 1 }])).toEqual([2, 2]);
  });

  it('firstlast.js: null values, dotted paths through arrays and computed expressions', async () => {
    const run = async (docs: Doc[], expr: unknown = '$b') => {
      const coll = await seed('firstlast2', docs);
      const res = await coll
        .aggregate([
          { $sort: { _id: 1 } },
          { $group: { _id: '$a', first: { $first: expr }, last: { $last: expr } } },
        ])
        .toArray();
      return [res[0].first as unknown, res[0].last as unknown];
    };
    expect(
      await run([
        { _id: 1, a: 1, b: null },
        { _id: 2, a: 1, b: 2 },
      ]),
    ).toEqual([null, 2]);
    expect(
      await run([
        { _id: 1, a: 1, b: 'bar' },
        { _id: 2, a: 1, b: true },
      ]),
    ).toEqual(['bar', true]);
    expect(
      await run(
        [
          { _id: 1, a: 1, b: [{ c: 1 }, { c: 2 }] },
          { _id: 2, a: 1, b: [{ c: 6 }, {}] },
        ],
        '$b.c',
      ),
    ).toEqual([[1, 2], [6]]);
    expect(
      await run(
        [
          { _id: 1, a: 1, b: 1 },
          { _id: 2, a: 1, b: 2 },
        ],
        { $mod: ['$b', 2] },
      ),
    ).toEqual([1, 0]);
    const mk = await seed('firstlast3', [{ _id: 1, mk: [1, 2, 3], notMk: 4 }]);
    expect(
      await mk.aggregate([{ $group: { _id: '$notMk', acc: { $first: '$mk' } } }]).toArray(),
    ).toEqual([{ _id: 4, acc: [1, 2, 3] }]);
    expect(
      await mk.aggregate([{ $group: { _id: '$notMk', acc: { $last: '$mk' } } }]).toArray(),
    ).toEqual([{ _id: 4, acc: [1, 2, 3] }]);
  });
});

describe('$lookup (jstests/aggregation/sources/lookup/*.js)', () => {
  /** lookup_array_semantics.js's runTest: the ids whose "matched" array is non-empty. */
  async function matchedIds(
    localData: Doc[],
    localField: string,
    foreignRecord: Doc,
    foreignField: string,
  ): Promise<unknown[]> {
    const db = h.freshDb('lookup');
    await db.collection<Doc>('local').insertMany(localData.map((d) => ({ ...d })));
    await db.collection<Doc>('foreign').insertOne({ ...foreignRecord });
    const results = await db
      .collection<Doc>('local')
      .aggregate([{ $lookup: { from: 'foreign', localField, foreignField, as: 'matched' } }])
      .toArray();
    return results
      .filter((r) => (r.matched as unknown[]).length > 0)
      .map((r) => r._id as number)
      .sort((x, y) => x - y);
  }

  it('lookup_array_semantics.js: a scalar in foreign matches local arrays containing it', async () => {
    expect(
      await matchedIds(
        [
          { _id: 0, a: 1 },
          { _id: 1, a: [1] },
          { _id: 2, a: [1, 2, 3] },
          { _id: 3, a: [1, [2, 3]] },
          { _id: 4, a: [1, [1, 2]] },
          { _id: 5, a: [1, 2, 1] },
          { _id: 10, a: [[1]] },
          { _id: 11, a: [[1, 2], 3] },
          { _id: 12, a: 3 },
          { _id: 13, a: [2, 3] },
          { _id: 14, a: { b: 1 } },
        ],
        'a',
        { _id: 0, b: 1 },
        'b',
      ),
    ).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lookup_array_semantics.js: elements of a foreign array match local scalars; a nested array matches whole', async () => {
    expect(
      await matchedIds(
        [
          { _id: 0, a: 1 },
          { _id: 1, a: 2 },
          { _id: 2, a: [1] },
          { _id: 3, a: [1, 3] },
          { _id: 4, a: [3, 2] },
          { _id: 10, a: 3 },
          { _id: 11, a: [[1]] },
          { _id: 12, a: [3, 4] },
        ],
        'a',
        { _id: 0, b: [1, 2] },
        'b',
      ),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(
      await matchedIds(
        [
          { _id: 0, a: [[1, 2], 4] },
          { _id: 1, a: [[1, 2]] },
          { _id: 10, a: [1, 2] },
          { _id: 11, a: [[[1, 2]]] },
          { _id: 12, a: [[1, 2, 3]] },
        ],
        'a',
        { _id: 0, b: [[1, 2], 3] },
        'b',
      ),
    ).toEqual([0, 1]);
  });

  it('lookup_array_semantics.js: dotted local paths through arrays', async () => {
    expect(
      await matchedIds(
        [
          { _id: 0, a: [{ x: 1 }, { x: 2 }] },
          { _id: 1, a: [{ x: [1, 2] }] },
          { _id: 2, a: { x: 1 } },
          { _id: 3, a: { x: [1, 2] } },
          { _id: 10, a: [{ x: 2 }, { x: 3 }] },
          { _id: 11, a: 1 },
          { _id: 12, a: [1] },
          { _id: 13, a: [[1]] },
          { _id: 14, a: [{ y: 1 }] },
        ],
        'a.x',
        { _id: 0, b: 1 },
        'b',
      ),
    ).toEqual([0, 1, 2, 3]);
    expect(
      await matchedIds(
        [
          { _id: 0, a: 1 },
          { _id: 1, a: 2 },
          { _id: 2, a: [1] },
          { _id: 3, a: [1, 3] },
          { _id: 4, a: [3, 2] },
          { _id: 5, a: [[1, 2], 3] },
          { _id: 10, a: 4 },
          { _id: 11, a: [[1]] },
          { _id: 12, a: [3, 4] },
        ],
        'a',
        { _id: 0, b: [{ x: 1 }, { x: 2 }] },
        'b.x',
      ),
    ).toEqual([0, 1, 2, 3, 4]);
  });

  it('lookup_array_semantics.js: an empty foreign array matches only local nested empty arrays', async () => {
    expect(
      await matchedIds(
        [
          { _id: 0, a: [[]] },
          { _id: 1, a: [[], 1] },
          { _id: 10 },
          { _id: 11, a: null },
          { _id: 12, a: [] },
          { _id: 13, a: [null] },
          { _id: 14, a: [null, 1] },
          { _id: 15, a: 1 },
          { _id: 16, a: [[[]]] },
          { _id: 17, a: [1, 2] },
        ],
        'a',
        { _id: 0, b: [] },
        'b',
      ),
    ).toEqual([0, 1]);
  });

  it('lookup_array_semantics.js: a local empty array matches a null or missing foreign field', async () => {
    const local = [
      { _id: 0, a: [] },
      { _id: 10, a: [[]] },
      { _id: 11, a: [[], 1] },
      { _id: 12, a: [1] },
    ];
    expect(await matchedIds(local, 'a', { _id: 0, b: null }, 'b')).toEqual([0]);
    expect(await matchedIds(local, 'a', { _id: 0, no_b: true }, 'b')).toEqual([0]);
  });

  it('lookup_array_semantics.js: local dotted paths that resolve to nothing match a null foreign value', async () => {
    expect(
      await matchedIds(
        [
          { _id: 0, a: [{ y: 1 }, { y: 2 }] },
          { _id: 1, a: [{ x: [] }] },
          { _id: 2, a: [] },
          { _id: 3, a: [[]] },
          { _id: 4, a: { x: [] } },
          { _id: 5, x: [1, 2] },
          { _id: 10, a: [{ x: 1 }, { y: 2 }] },
          { _id: 11, a: [{ x: [] }, { x: 1 }] },
          { _id: 12, a: [{ x: [[]] }] },
        ],
        'a.x',
        { _id: 0, b: null },
        'b',
      ),
    ).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lookup_array_semantics.js: numeric components in localField index into arrays', async () => {
    expect(
      await matchedIds(
        [
          { _id: 0, a: [{ x: 1 }, { x: 2 }] },
          { _id: 1, a: [{ x: [2, 3, 1] }] },
          { _id: 10, a: [{ x: 2 }, { x: 1 }] },
          { _id: 11, a: [{ x: [2, 3] }] },
          { _id: 12, a: { x: 1 } },
          { _id: 13, a: { x: [1, 2] } },
          { _id: 14, a: [{ y: 1 }, { x: 1 }] },
        ],
        'a.0.x',
        { _id: 0, b: 1 },
        'b',
      ),
    ).toEqual([0, 1]);
  });

  it('lookup_numeric_field.js: "a.0", "c.1.0" and "a.2.b.1" localFields', async () => {
    const cases: [string, Doc, boolean][] = [
      ['a.0', { a: [3, 2, 1] }, true],
      ['a.0', { a: { '0': 3, '1': 2, '3': 1 } }, true],
      ['a.1', { a: [3, 2, 1] }, false],
      ['c.1.0', { c: [0, [3, 4, 3], [1, 2]] }, true],
      ['c.1.2', { c: [0, [3, 4, 3], [1, 2]] }, true],
      ['c.0.0', { c: [0, [3, 4, 3], [1, 2]] }, false],
      ['a.2.b.1', { a: [{}, { b: [2] }, { b: [1, 3] }] }, true],
      ['a.2.b.2', { a: [{}, { b: [2] }, { b: [1, 3] }] }, false],
      ['a.b.0', { a: { b: [3] } }, true],
      ['a.00', { a: { '00': 3 } }, true],
    ];
    for (const [localField, doc, shouldMatch] of cases) {
      const db = h.freshDb('lookupnum');
      await db.collection<Doc>('inner').insertOne({ y: 3, z: 4 });
      await db.collection<Doc>('outer').insertOne({ ...doc });
      const results = await db
        .collection<Doc>('outer')
        .aggregate([
          { $lookup: { from: 'inner', localField, foreignField: 'y', as: 'docs' } },
          { $match: { 'docs.0.z': 4 } },
          { $count: 'count' },
        ])
        .toArray();
      expect([localField, doc, results]).toEqual([
        localField,
        doc,
        shouldMatch ? [{ count: 1 }] : [],
      ]);
    }
  });
});

describe('$addFields (jstests/aggregation/sources/addFields/dotted_paths.js)', () => {
  const INIT: Doc = {
    _id: 1,
    arrayField: [1, { subField: [2, {}] }, [1]],
    objField: { p: { q: 1 }, subArr: [1] },
    otherField: 'value',
  };
  let coll: Collection<Doc>;

  beforeAll(async () => {
    coll = await seed('addfields', [INIT]);
  });

  async function addFields(spec: Document): Promise<Document[]> {
    return coll.aggregate([{ $addFields: spec }]).toArray();
  }

  it('overwrites an existing dotted path and creates missing subdocuments beside existing fields', async () => {
    expect(await addFields({ 'objField.subArr': 'newValue' })).toEqual([
      { ...INIT, objField: { p: { q: 1 }, subArr: 'newValue' } },
    ]);
    expect(await addFields({ 'objField.newSubPath.b': { $literal: 'newValue' } })).toEqual([
      { ...INIT, objField: { p: { q: 1 }, subArr: [1], newSubPath: { b: 'newValue' } } },
    ]);
    expect(await addFields({ 'newField.newSubPath.b': 'newValue' })).toEqual([
      { ...INIT, newField: { newSubPath: { b: 'newValue' } } },
    ]);
  });
});

describe('$sortByCount and $facet (manual: $sortByCount behaviour; facet/use_cases.js)', () => {
  const DOCS: Doc[] = [
    { _id: 1, manufacturer: 'Sony', price: 120 },
    { _id: 2, manufacturer: 'LG', price: 1700 },
    { _id: 3, manufacturer: 'Sony', price: 640 },
    { _id: 4, manufacturer: 'Vizio', price: 3000 },
    { _id: 5, manufacturer: 'LG', price: 900 },
    { _id: 6, manufacturer: 'Sony', price: 1100 },
  ];

  it('$sortByCount equals {$group: {_id, count: {$sum: 1}}} followed by {$sort: {count: -1}}', async () => {
    const coll = await seed('sbc', DOCS);
    const viaStage = await coll
      .aggregate([{ $sortByCount: '$manufacturer' }, { $sort: { count: -1, _id: 1 } }])
      .toArray();
    const viaGroup = await coll
      .aggregate([
        { $group: { _id: '$manufacturer', count: { $sum: 1 } } },
        { $sort: { count: -1, _id: 1 } },
      ])
      .toArray();
    expect(viaStage).toEqual(viaGroup);
    expect(viaStage).toEqual([
      { _id: 'Sony', count: 3 },
      { _id: 'LG', count: 2 },
      { _id: 'Vizio', count: 1 },
    ]);
  });

  it('use_cases.js: each $facet sub-pipeline returns what it returns on its own', async () => {
    const coll = await seed('facet', DOCS);
    const manufacturerPipe = [{ $sortByCount: '$manufacturer' }, { $sort: { count: -1, _id: 1 } }];
    const bucketedPricePipe = [
      { $bucket: { groupBy: '$price', boundaries: [0, 500, 1000, 1500, 2000], default: 2000 } },
      { $sort: { count: -1, _id: 1 } },
    ];
    const alone = [
      await coll.aggregate(manufacturerPipe).toArray(),
      await coll.aggregate(bucketedPricePipe).toArray(),
    ];
    const facet = await coll
      .aggregate([
        { $facet: { manufacturers: manufacturerPipe, bucketedPrices: bucketedPricePipe } },
      ])
      .toArray();
    expect(facet).toHaveLength(1);
    expect([facet[0].manufacturers, facet[0].bucketedPrices]).toEqual(alone);
  });
});
