/**
 * Aggregation-pipeline expectations ported from MongoDB's own jstests (mongodb/mongo) and, where
 * marked, from the MongoDB manual. Each test names its source and asserts only what that source
 * states. BSON types are read back with `promoteValues: false` where the source states them.
 */
import { Decimal128, Double, Int32, Long, type Collection, type Document } from 'mongodb';
import {
  bsonTypeOf,
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

async function seed(prefix: string, docs: Doc[], name = 'c'): Promise<Collection<Doc>> {
  const coll = h.freshDb(prefix).collection<Doc>(name);
  if (docs.length > 0) await coll.insertMany(docs.map((d) => ({ ...d })));
  return coll;
}

function run(coll: Collection<Doc>, pipeline: Document[]): Promise<Document[]> {
  return coll.aggregate(pipeline).toArray();
}

/** Runs the pipeline without promoting BSON numbers, so Int32/Long/Double wrappers survive. */
function runRaw(coll: Collection<Doc>, pipeline: Document[]): Promise<Document[]> {
  return coll.aggregate(pipeline, { promoteValues: false }).toArray();
}

/** Error code of each pipeline, or 'ok' when it succeeds; reports every case in one assertion. */
async function codesOf(coll: Collection<Doc>, pipelines: Document[][]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const p of pipelines) {
    try {
      await run(coll, p);
      out.push('ok');
    } catch (error) {
      out.push((error as { code?: unknown }).code);
    }
  }
  return out;
}

describe('$group accumulators', () => {
  it('accumulators/avg_null_no_input.js: $avg of missing, non-numeric or null input is null', async () => {
    const coll = await seed('avgnull', [{ a: 1, b: 2, c: 'string', d: null }]);
    for (const field of ['$missing', '$c', '$d']) {
      expect(await run(coll, [{ $group: { _id: '$a', avg: { $avg: field } } }])).toEqual([
        { _id: 1, avg: null },
      ]);
    }
    await coll.insertMany([{ a: 1, d: 'string' }, { a: 1 }]);
    expect(await run(coll, [{ $group: { _id: '$a', avg: { $avg: '$d' } } }])).toEqual([
      { _id: 1, avg: null },
    ]);
  });

  it('accumulators/avg_null_no_input.js: $avg averages numbers and ignores missing/null/strings', async () => {
    const coll = await seed('avgnum', [{ a: 1, b: 2 }]);
    const pipeline = [{ $group: { _id: '$a', avg: { $avg: '$b' } } }];
    expect(await run(coll, pipeline)).toEqual([{ _id: 1, avg: 2 }]);
    await coll.insertOne({ a: 1, b: 4 });
    expect(await run(coll, pipeline)).toEqual([{ _id: 1, avg: 3 }]);
    await coll.insertOne({ a: 1, b: -6 });
    expect(await run(coll, pipeline)).toEqual([{ _id: 1, avg: 0 }]);
    await coll.insertMany([{ a: 1 }, { a: 1, b: 'string' }, { a: 1, b: null }]);
    expect(await run(coll, pipeline)).toEqual([{ _id: 1, avg: 0 }]);
  });

  it('manual $sum (accumulator): all int32 inputs keep the int32 type', async () => {
    const coll = await seed('sumint', [
      { g: 1, v: new Int32(1) },
      { g: 1, v: new Int32(2) },
    ]);
    const [row] = await runRaw(coll, [{ $group: { _id: null, s: { $sum: '$v' } } }]);
    expect(bsonTypeOf(row.s)).toBe('Int32');
    expect(Number(row.s)).toBe(3);
  });

  it('manual $sum (accumulator): int32 overflow promotes the result to long', async () => {
    const coll = await seed('sumovf', [{ v: new Int32(2000000000) }, { v: new Int32(2000000000) }]);
    const [row] = await runRaw(coll, [{ $group: { _id: null, s: { $sum: '$v' } } }]);
    expect(bsonTypeOf(row.s)).toBe('Long');
    expect(String(row.s)).toBe('4000000000');
  });

  it('manual $sum (accumulator): long overflow promotes the result to double', async () => {
    const coll = await seed('sumlovf', [
      { v: Long.fromString('9000000000000000000') },
      { v: Long.fromString('9000000000000000000') },
    ]);
    const [row] = await runRaw(coll, [{ $group: { _id: null, s: { $sum: '$v' } } }]);
    expect(bsonTypeOf(row.s)).toBe('Double');
    expect(Number(row.s)).toBe(1.8e19);
  });

  it('manual $sum (accumulator): mixed int32/long/double sums are double', async () => {
    const coll = await seed('summix', [
      { v: new Int32(1) },
      { v: Long.fromNumber(2) },
      { v: new Double(0.5) },
    ]);
    const [row] = await runRaw(coll, [{ $group: { _id: null, s: { $sum: '$v' } } }]);
    expect(bsonTypeOf(row.s)).toBe('Double');
    expect(Number(row.s)).toBe(3.5);
  });

  it('manual $sum (accumulator): int32 + long sums are long', async () => {
    const coll = await seed('sumil', [{ v: new Int32(1) }, { v: Long.fromNumber(2) }]);
    const [row] = await runRaw(coll, [{ $group: { _id: null, s: { $sum: '$v' } } }]);
    expect(bsonTypeOf(row.s)).toBe('Long');
    expect(String(row.s)).toBe('3');
  });

  it('manual $sum (accumulator): any decimal input makes the sum decimal', async () => {
    const coll = await seed('sumdec', [
      { v: new Int32(1) },
      { v: new Double(2.5) },
      { v: Decimal128.fromString('0.1') },
    ]);
    const [row] = await runRaw(coll, [{ $group: { _id: null, s: { $sum: '$v' } } }]);
    expect(bsonTypeOf(row.s)).toBe('Decimal128');
    expect(Number((row.s as Decimal128).toString())).toBeCloseTo(3.6, 10);
  });

  it('manual $sum (accumulator): a field missing everywhere sums to 0; arrays count as non-numeric', async () => {
    const coll = await seed('sumzero', [
      { _id: 1, arr: [1, 2] },
      { _id: 2, arr: [3] },
    ]);
    expect(
      await run(coll, [
        { $group: { _id: null, missing: { $sum: '$nope' }, arrays: { $sum: '$arr' } } },
      ]),
    ).toEqual([{ _id: null, missing: 0, arrays: 0 }]);
  });

  it('group/group_by_empty_object.js: a literal empty-object _id forms one group', async () => {
    const coll = await seed('grpempty', [
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
    ]);
    expect(await run(coll, [{ $group: { _id: {} } }])).toEqual([{ _id: {} }]);
  });

  it('group/group_by_empty_object.js: _id {$expr: {}}, {$expr: {$const: {}}}, {$expr: {$expr: {}}} give _id {}', async () => {
    const coll = await seed('grpexpr', [
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
    ]);
    const results: unknown[] = [];
    for (const id of [{ $expr: {} }, { $expr: { $const: {} } }, { $expr: { $expr: {} } }]) {
      results.push(
        await run(coll, [{ $group: { _id: id } }]).catch((e: unknown) => (e as Error).message),
      );
    }
    expect(results).toEqual([[{ _id: {} }], [{ _id: {} }], [{ _id: {} }]]);
  });

  it('group/group_by_empty_object.js: $sortByCount of {$expr: {}} counts every document under {}', async () => {
    const coll = await seed('sbcempty', [
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
    ]);
    expect(await run(coll, [{ $sortByCount: { $expr: {} } }])).toEqual([{ _id: {}, count: 2 }]);
  });

  it('group/group_key_is_array.js: an array _id evaluates the same at top level and nested', async () => {
    const coll = await seed('grparr', [{ x: null }, { y: null }, { x: null, y: null }]);
    const top = await run(coll, [{ $group: { _id: ['$x', '$y'] } }]);
    const nested = await run(coll, [{ $group: { _id: { z: ['$x', '$y'] } } }]);
    expect(top[0]._id).toEqual((nested[0]._id as Document).z);
  });

  it('sources/lookup/lookup_subpipeline.js: $group with $avg of _id inside a $lookup pipeline', async () => {
    const db = h.freshDb('lkgrp');
    await db.collection<Doc>('lookUp').insertMany([
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
    ]);
    await db.collection<Doc>('from').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const rows = await db
      .collection<Doc>('lookUp')
      .aggregate([
        {
          $lookup: {
            from: 'from',
            pipeline: [{ $group: { _id: '$_id', avg: { $avg: '$_id' } } }, { $sort: { _id: 1 } }],
            as: 'c',
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    const c = [
      { _id: 1, avg: 1 },
      { _id: 2, avg: 2 },
      { _id: 3, avg: 3 },
    ];
    expect(rows).toEqual([
      { _id: 1, x: 1, c },
      { _id: 2, x: 2, c },
    ]);
  });
});

describe('$avg / $sum as expressions (expressions/avg_and_sum.js)', () => {
  const DOC: Doc = {
    _id: 0,
    null: null,
    string: 'hello world',
    num: -1,
    num2: 13.4,
    arrayEmpty: [],
    array1: [1, 2, 3],
    array2: [1, 2, 3, 'string'],
    array3: [12.4, 5.6, 9.805],
    arrayNested2: [[1, 2, 3], 4, null],
  };

  async function evaluate(op: string, fields: string[]): Promise<unknown[]> {
    const coll = await seed('avgsumexpr', [DOC]);
    const out: unknown[] = [];
    for (const field of fields) {
      out.push(
        await run(coll, [{ $project: { a: { [op]: field } } }]).then(
          (rows): unknown => rows[0].a,
          (e: unknown) => `error: ${(e as Error).message}`,
        ),
      );
    }
    return out;
  }
  const SINGLE = ['$null', '$doesNotExist', '$string', '$num', '$num2'];
  const ARRAYS = ['$arrEmpty', '$array1', '$array2', '$array3', '$arrayNested2'];

  it('$avg of a single non-array operand: null for null/missing/string, else the number', async () => {
    expect(await evaluate('$avg', SINGLE)).toEqual([null, null, null, -1, 13.4]);
  });

  it('$sum of a single non-array operand: 0 for null/missing/string, else the number', async () => {
    expect(await evaluate('$sum', SINGLE)).toEqual([0, 0, 0, -1, 13.4]);
  });

  it('$avg of an array operand: numeric elements only, nested arrays ignored', async () => {
    expect(await evaluate('$avg', ARRAYS)).toEqual([null, 2, 2, 9.268333333333333, 4]);
  });

  it('$sum of an array operand: numeric elements only, nested arrays ignored', async () => {
    expect(await evaluate('$sum', ARRAYS)).toEqual([0, 6, 6, 27.805, 4]);
  });
});

describe('arithmetic type promotion (expressions/arith_overflow.js)', () => {
  async function results(operator: string, docs: Doc[]): Promise<[string, string][]> {
    const coll = await seed('arith', docs);
    const rows = await runRaw(coll, [
      { $project: { res: { [operator]: ['$lhs', '$rhs'] } } },
      { $sort: { _id: 1 } },
    ]);
    return rows.map((r) => [bsonTypeOf(r.res), String(Number(r.res))]);
  }

  it('$add: int32 overflow gives a long; long overflow gives a double', async () => {
    expect(
      await results('$add', [
        { _id: 0, lhs: new Int32(2e9), rhs: new Int32(2e9) },
        { _id: 1, lhs: Long.fromNumber(9e18), rhs: Long.fromNumber(9e18) },
      ]),
    ).toEqual([
      ['Long', '4000000000'],
      ['Double', String(1.8e19)],
    ]);
  });

  it('$subtract: int32 overflow gives a long; long overflow gives a double', async () => {
    expect(
      await results('$subtract', [
        { _id: 0, lhs: new Int32(2e9), rhs: new Int32(-2e9) },
        { _id: 1, lhs: Long.fromNumber(9e18), rhs: Long.fromNumber(-9e18) },
      ]),
    ).toEqual([
      ['Long', '4000000000'],
      ['Double', String(1.8e19)],
    ]);
  });

  it('$multiply: int32 overflow gives a long; long overflow gives a double', async () => {
    expect(
      await results('$multiply', [
        { _id: 0, lhs: new Int32(2e9), rhs: new Int32(-2e9) },
        { _id: 1, lhs: Long.fromNumber(9e18), rhs: Long.fromNumber(-9e18) },
      ]),
    ).toEqual([
      ['Long', String(-4e18)],
      ['Double', String(-8.1e37)],
    ]);
  });
});

describe('$project / $addFields', () => {
  it('project/project_id.js: _id may be set from a field path or an expression', async () => {
    const coll = await seed('projid', [{ a: 2 }]);
    expect(await run(coll, [{ $project: { _id: '$a' } }])).toEqual([{ _id: 2 }]);
    expect(await run(coll, [{ $project: { _id: { $add: [1, '$a'] } } }])).toEqual([{ _id: 3 }]);
  });

  it('project/inclusion_accepts_all_numeric_types.js: NumberLong, double and NumberInt 1 all include', async () => {
    const coll = await seed('projnum', [{ key: 4, v: 3, x: 2 }]);
    expect(
      await run(coll, [
        { $project: { _id: 0, key: Long.fromNumber(1), v: new Double(1), x: new Int32(1) } },
      ]),
    ).toEqual([{ key: 4, v: 3, x: 2 }]);
  });

  it('project/project_with_expressions.js: inclusions, computed and missing subpaths under one parent', async () => {
    const coll = await seed('projexpr', [
      { _id: 0, a: { subObj1: { p: 1 }, subObj2: { p: 1 }, subObj3: { p: 1 } } },
    ]);
    const expected = [{ a: { subObj2: { p: 1 }, subObj3: {}, subObj1: 1 } }];
    const results: unknown[] = [];
    for (const projection of [
      { _id: 0, 'a.subObj1': { $literal: 1 }, 'a.subObj2': 1, 'a.subObj3.q': 1 },
      { _id: 0, 'a.subObj2': 1, 'a.subObj1': { $literal: 1 }, 'a.subObj3.q': { r: 1 } },
      { _id: 0, a: { subObj1: { $literal: 1 }, subObj2: 1, subObj3: { q: { r: 1 } } } },
      { _id: 0, a: { subObj2: 1, subObj1: { $literal: 1 }, subObj3: { q: 1 } } },
    ]) {
      results.push(await run(coll, [{ $project: projection }]));
    }
    expect(results).toEqual([expected, expected, expected, expected]);
  });

  it('project/remove_id.js: _id excluded in one $project stays out of the next', async () => {
    const coll = await seed('projrmid', [
      { _id: 1, author: 'bob' },
      { _id: 2, author: 'dave' },
      { _id: 3, author: 'jane' },
    ]);
    expect(
      await run(coll, [
        { $sort: { _id: 1 } },
        { $project: { author: 1, _id: 0 } },
        { $project: { Writer: '$author' } },
      ]),
    ).toEqual([{ Writer: 'bob' }, { Writer: 'dave' }, { Writer: 'jane' }]);
  });

  it('project/handle_missing_subpath.js: a dotted inclusion/path through a scalar yields nothing', async () => {
    const coll = await seed('projmiss', [
      { _id: 0, a: 1 },
      { _id: 1, foo: 2 },
      { _id: 2, foo: { bar: 3 } },
    ]);
    expect(
      await run(coll, [
        { $sort: { _id: 1 } },
        { $project: { _id: 0, 'foo.bar': 1, field: '$foo', path: '$foo.bar' } },
      ]),
    ).toEqual([{}, { field: 2 }, { foo: { bar: 3 }, field: { bar: 3 }, path: 3 }]);
  });

  it('project/exclusion_projection_does_not_affect_field_order.js: $addFields keeps existing positions, appends new', async () => {
    const coll = await seed('projorder', [{ _id: 1 }, { _id: 2, c: 1 }, { _id: 3, y: 1, z: 1 }]);
    const rows = await run(coll, [
      { $project: { b: 0, c: 0 } },
      { $addFields: { x: 3, y: 4, b: 5, c: 6, a: 7 } },
      { $sort: { _id: 1 } },
    ]);
    // Field order matters here: compare key sequences as well as values.
    expect(rows.map((r) => Object.keys(r))).toEqual([
      ['_id', 'x', 'y', 'b', 'c', 'a'],
      ['_id', 'x', 'y', 'b', 'c', 'a'],
      ['_id', 'y', 'z', 'x', 'b', 'c', 'a'],
    ]);
    expect(rows).toEqual([
      { _id: 1, x: 3, y: 4, b: 5, c: 6, a: 7 },
      { _id: 2, x: 3, y: 4, b: 5, c: 6, a: 7 },
      { _id: 3, y: 4, z: 1, x: 3, b: 5, c: 6, a: 7 },
    ]);
  });

  it('project/exclusion_projection_does_not_affect_field_order.js: excluding c.z keeps sibling order', async () => {
    const coll = await seed('projexcl', [
      { _id: 1 },
      { _id: 2, c: 1 },
      { _id: 3, y: 1, z: 1 },
      { _id: 4, c: { y: 11, z: 22, a: 33 }, a: 1 },
    ]);
    const rows = await run(coll, [{ $project: { 'c.z': 0 } }, { $sort: { _id: 1 } }]);
    expect(rows).toEqual([
      { _id: 1 },
      { _id: 2, c: 1 },
      { _id: 3, y: 1, z: 1 },
      { _id: 4, c: { y: 11, a: 33 }, a: 1 },
    ]);
    expect(Object.keys(rows[3].c as Document)).toEqual(['y', 'a']);
  });

  it('addFields/use_cases.js: $addFields equals $project of the same computed field plus inclusions', async () => {
    const coll = await seed(
      'afuse',
      Array.from({ length: 10 }, (_, i) => ({ _id: i, '2i': i * 2, '3i': i * 3 })),
    );
    const viaProject = await run(coll, [
      { $project: { '2i': 1, '3i': 1, '6i^2': { $multiply: ['$2i', '$3i'] } } },
      { $sort: { _id: 1 } },
    ]);
    const viaAddFields = await run(coll, [
      { $addFields: { '6i^2': { $multiply: ['$2i', '$3i'] } } },
      { $sort: { _id: 1 } },
    ]);
    expect(viaAddFields).toEqual(viaProject);
    expect(viaAddFields[3]).toEqual({ _id: 3, '2i': 6, '3i': 9, '6i^2': 54 });
  });
});

describe('$replaceRoot / $replaceWith (manual v7.0 $replaceRoot)', () => {
  const PEOPLE: Doc[] = [
    { _id: 1, name: { first: 'John', last: 'Backus' } },
    { _id: 2, name: { first: 'John', last: 'McCarthy' } },
    { _id: 3, name: { first: 'Grace', last: 'Hopper' } },
    { _id: 4, firstname: 'Ole-Johan', lastname: 'Dahl' },
  ];

  it('fails when a document lacks the replacement field', async () => {
    const coll = await seed('rrmiss', PEOPLE);
    await serverErrorOf(run(coll, [{ $replaceRoot: { newRoot: '$name' } }]));
  });

  it('$mergeObjects with a default document avoids the error', async () => {
    const coll = await seed('rrmerge', PEOPLE);
    const rows = await run(coll, [
      { $sort: { _id: 1 } },
      {
        $replaceRoot: {
          newRoot: { $mergeObjects: [{ _id: '$_id', first: '', last: '' }, '$name'] },
        },
      },
    ]);
    expect(rows).toEqual([
      { _id: 1, first: 'John', last: 'Backus' },
      { _id: 2, first: 'John', last: 'McCarthy' },
      { _id: 3, first: 'Grace', last: 'Hopper' },
      { _id: 4, first: '', last: '' },
    ]);
  });

  it('$ifNull substitutes a document for missing names', async () => {
    const coll = await seed('rrifnull', PEOPLE);
    const rows = await run(coll, [
      { $sort: { _id: 1 } },
      { $replaceWith: { $ifNull: ['$name', { _id: '$_id', missingName: true }] } },
    ]);
    expect(rows).toEqual([
      { first: 'John', last: 'Backus' },
      { first: 'John', last: 'McCarthy' },
      { first: 'Grace', last: 'Hopper' },
      { _id: 4, missingName: true },
    ]);
  });

  it('fails when the replacement is not a document', async () => {
    const coll = await seed('rrscalar', [{ _id: 1, name: 'x' }]);
    await serverErrorOf(run(coll, [{ $replaceRoot: { newRoot: '$name' } }]));
  });
});

describe('$unwind (jstests/core/query/unwind.js, aggregation/sources/unwind/unwind.js)', () => {
  async function unwind(input: Doc, query: Document): Promise<Document[]> {
    const coll = await seed('unw', [input]);
    return run(coll, [{ $unwind: query }]);
  }

  it('unwind.js: a scalar unwinds to itself; missing, null and [] produce nothing', async () => {
    const coll = await seed('unwscalar', [
      { _id: 1 },
      { _id: 2, x: null },
      { _id: 3, x: [] },
      { _id: 4, x: [1, 2] },
      { _id: 5, x: [3] },
      { _id: 6, x: 4 },
    ]);
    const res = await run(coll, [{ $unwind: '$x' }, { $sort: { _id: 1 } }]);
    expect(res.map((d): unknown => d.x)).toEqual([1, 2, 3, 4]);
  });

  it('core/query/unwind.js: includeArrayIndex on a scalar and on an empty document is null', async () => {
    expect(await unwind({ _id: 0, a: 1 }, { path: '$a', includeArrayIndex: 'i' })).toEqual([
      { _id: 0, a: 1, i: null },
    ]);
    expect(await unwind({ _id: 0, a: {} }, { path: '$a', includeArrayIndex: 'i' })).toEqual([
      { _id: 0, a: {}, i: null },
    ]);
  });

  it('core/query/unwind.js: preserved missing/null/[] get a null index', async () => {
    const q = { path: '$a', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' };
    expect(await unwind({ _id: 0 }, q)).toEqual([{ _id: 0, i: null }]);
    expect(await unwind({ _id: 0, a: null }, q)).toEqual([{ _id: 0, a: null, i: null }]);
    expect(await unwind({ _id: 0, a: [] }, q)).toEqual([{ _id: 0, i: null }]);
  });

  it('core/query/unwind.js: includeArrayIndex named like the unwound path overwrites it', async () => {
    const q = { path: '$a', preserveNullAndEmptyArrays: true, includeArrayIndex: 'a' };
    expect(await unwind({ _id: 0 }, q)).toEqual([{ _id: 0, a: null }]);
    expect(await unwind({ _id: 0, a: [] }, q)).toEqual([{ _id: 0, a: null }]);
    expect(await unwind({ _id: 0, a: 1 }, q)).toEqual([{ _id: 0, a: null }]);
    expect(await unwind({ _id: 0, a: [1] }, q)).toEqual([{ _id: 0, a: 0 }]);
    expect(await unwind({ _id: 0, a: [null] }, q)).toEqual([{ _id: 0, a: 0 }]);
  });

  it('core/query/unwind.js: elements null and [] inside an array are emitted, not dropped', async () => {
    expect(await unwind({ _id: 0, a: [null] }, { path: '$a', includeArrayIndex: 'i' })).toEqual([
      { _id: 0, a: null, i: 0 },
    ]);
    expect(await unwind({ _id: 0, a: [[]] }, { path: '$a' })).toEqual([{ _id: 0, a: [] }]);
  });

  it('core/query/unwind.js: dotted path, preserved empty array leaves an empty parent', async () => {
    expect(
      await unwind({ _id: 0, a: { b: [] } }, { path: '$a.b', preserveNullAndEmptyArrays: true }),
    ).toEqual([{ _id: 0, a: {} }]);
    expect(
      await unwind(
        { _id: 0, a: { b: null } },
        { path: '$a.b', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' },
      ),
    ).toEqual([{ _id: 0, a: { b: null }, i: null }]);
  });

  it('core/query/unwind.js: includeArrayIndex "_id" or the parent "a" replaces that field', async () => {
    expect(
      await unwind(
        { _id: 0 },
        { path: '$a.b', preserveNullAndEmptyArrays: true, includeArrayIndex: '_id' },
      ),
    ).toEqual([{ _id: null }]);
    expect(
      await unwind(
        { _id: 0, a: { b: 1 } },
        { path: '$a.b', preserveNullAndEmptyArrays: true, includeArrayIndex: 'a' },
      ),
    ).toEqual([{ _id: 0, a: null }]);
  });
});

describe('$bucket / $bucketAuto / $sortByCount', () => {
  it('manual $bucket: lower bound inclusive, upper exclusive; empty buckets are not output', async () => {
    const coll = await seed('bucketbounds', [{ v: 22 }, { v: 24 }, { v: 30 }, { v: 32 }]);
    expect(
      await run(coll, [
        {
          $bucket: {
            groupBy: '$v',
            boundaries: [0, 24, 32, 50, 60],
            output: { m: { $push: '$v' } },
          },
        },
      ]),
    ).toEqual([
      { _id: 0, m: [22] },
      { _id: 24, m: [24, 30] },
      { _id: 32, m: [32] },
    ]);
  });
});

describe('$count (aggregation/sources/count.js)', () => {
  it('rejects a non-string, empty, $-prefixed, NUL-containing or dotted field name', async () => {
    const coll = await seed('countbad', []);
    expect(
      await codesOf(coll, [
        [{ $count: 1 }],
        [{ $count: '' }],
        [{ $count: '$x' }],
        [{ $count: 'te\u0000st' }],
        [{ $count: 'test.string' }],
      ]),
    ).toEqual([40156, 40157, 40158, 40159, 40160]);
  });

  it('counts all documents, and those after a $match', async () => {
    const coll = await seed(
      'countok',
      Array.from({ length: 1000 }, (_, i) => ({ a: i, condition: i % 2 })),
    );
    expect(await run(coll, [{ $count: 'test' }])).toEqual([{ test: 1000 }]);
    expect(await run(coll, [{ $count: 'myCount' }])).toEqual([{ myCount: 1000 }]);
    expect(await run(coll, [{ $match: { condition: 1 } }, { $count: 'quantity' }])).toEqual([
      { quantity: 500 },
    ]);
  });
});

describe('$facet (aggregation/sources/facet/facet_validate_pipelines.js)', () => {
  it('a $facet inside $facet fails with 40600', async () => {
    const coll = await seed('facetnest', [
      { _id: 0, a: 1 },
      { _id: 2, a: 5 },
    ]);
    const err = await serverErrorOf(run(coll, [{ $facet: { x: [{ $facet: { y: [] } }] } }]));
    expect(err.code).toBe(40600);
    expect(err.message).toContain('$facet is not allowed to be used within a $facet stage');
  });
});

describe('$lookup pipeline/let (aggregation/sources/lookup/lookup_subpipeline.js)', () => {
  async function seedLookup(prefix: string): Promise<Collection<Doc>> {
    const db = h.freshDb(prefix);
    await db.collection<Doc>('lookUp').insertMany([
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
      { _id: 3, x: 3 },
    ]);
    await db.collection<Doc>('from').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    return db.collection<Doc>('lookUp');
  }

  it('non-equi theta join via $project/$match on a let variable', async () => {
    const coll = await seedLookup('lkproj');
    const rows = await run(coll, [
      {
        $lookup: {
          let: { var1: '$_id' },
          pipeline: [
            { $project: { isMatch: { $gt: ['$$var1', '$_id'] } } },
            { $match: { isMatch: true } },
            { $project: { isMatch: 0 } },
            { $sort: { _id: 1 } },
          ],
          from: 'from',
          as: 'c',
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 1, x: 1, c: [] },
      { _id: 2, x: 2, c: [{ _id: 1 }] },
      { _id: 3, x: 3, c: [{ _id: 1 }, { _id: 2 }] },
    ]);
  });

  it('non-equi theta join via $match $expr', async () => {
    const coll = await seedLookup('lkexpr');
    const rows = await run(coll, [
      {
        $lookup: {
          let: { var1: '$_id' },
          pipeline: [{ $match: { $expr: { $lt: ['$_id', '$$var1'] } } }, { $sort: { _id: 1 } }],
          from: 'from',
          as: 'c',
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 1, x: 1, c: [] },
      { _id: 2, x: 2, c: [{ _id: 1 }] },
      { _id: 3, x: 3, c: [{ _id: 1 }, { _id: 2 }] },
    ]);
  });

  it('multi-level join: let variables of the outer $lookup stay visible in nested ones', async () => {
    const coll = await seedLookup('lknest');
    const rows = await run(coll, [
      {
        $lookup: {
          let: { var1: '$_id' },
          pipeline: [
            { $match: { $expr: { $eq: ['$_id', '$$var1'] } } },
            {
              $lookup: {
                let: { var2: '$_id' },
                pipeline: [
                  { $match: { $expr: { $gt: ['$_id', '$$var2'] } } },
                  { $sort: { _id: 1 } },
                ],
                from: 'from',
                as: 'd',
              },
            },
          ],
          from: 'from',
          as: 'c',
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 1, x: 1, c: [{ _id: 1, d: [{ _id: 2 }, { _id: 3 }] }] },
      { _id: 2, x: 2, c: [{ _id: 2, d: [{ _id: 3 }] }] },
      { _id: 3, x: 3, c: [{ _id: 3, d: [] }] },
    ]);
  });

  it('let variable as a complex expression ($mod) used in $multiply', async () => {
    const coll = await seedLookup('lkmod');
    const rows = await run(coll, [
      {
        $lookup: {
          let: { var1: { $mod: ['$x', 3] } },
          pipeline: [
            { $project: { var1Mod3TimesForeignId: { $multiply: ['$$var1', '$_id'] } } },
            { $sort: { _id: 1 } },
          ],
          from: 'from',
          as: 'c',
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(
      rows.map((r) => (r.c as Document[]).map((c): unknown => c.var1Mod3TimesForeignId)),
    ).toEqual([
      [1, 2, 3],
      [2, 4, 6],
      [0, 0, 0],
    ]);
  });

  it('an empty sub-pipeline joins every foreign document; $unwind + $match follow', async () => {
    const coll = await seedLookup('lkempty');
    expect(
      await run(coll, [
        { $match: { _id: 1 } },
        { $lookup: { from: 'from', pipeline: [], as: 'as' } },
        { $unwind: '$as' },
        { $match: { 'as._id': { $gt: 2 } } },
      ]),
    ).toEqual([{ _id: 1, x: 1, as: { _id: 3 } }]);
  });

  it('subfields of a let variable are reachable with a dotted $$var path', async () => {
    const db = h.freshDb('lkdot');
    await db.collection<Doc>('lookUp').insertOne({ x: { y: { z: 10 } } });
    await db.collection<Doc>('from').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const rows = await db
      .collection<Doc>('lookUp')
      .aggregate([
        {
          $lookup: {
            let: { var1: '$x' },
            pipeline: [{ $project: { z: '$$var1.y.z' } }, { $sort: { _id: 1 } }],
            from: 'from',
            as: 'as',
          },
        },
        { $project: { _id: 0 } },
      ])
      .toArray();
    expect(rows).toEqual([
      {
        x: { y: { z: 10 } },
        as: [
          { _id: 1, z: 10 },
          { _id: 2, z: 10 },
          { _id: 3, z: 10 },
        ],
      },
    ]);
  });
});

describe('$limit / $skip validation', () => {
  it('$limit: 0 fails with 15958 "the limit must be positive"', async () => {
    const coll = await seed('limit0', [{ _id: 1 }]);
    const err = await serverErrorOf(run(coll, [{ $limit: 0 }]));
    expect(err.code).toBe(15958);
    expect(err.message).toContain('the limit must be positive');
  });

  it('match/skip_with_limit.js: chained $skip/$limit counts', async () => {
    const coll = await seed(
      'skiplimit',
      Array.from({ length: 20 }, (_, i) => ({ x: 4, y: i })),
    );
    const count = async (p: Document[]): Promise<number> => (await run(coll, p)).length;
    expect(await count([{ $match: { x: 4 } }, { $skip: 10 }, { $limit: 5 }])).toBe(5);
    expect(await count([{ $match: { x: 4 } }, { $skip: 7 }, { $skip: 3 }, { $limit: 5 }])).toBe(5);
    expect(
      await count([{ $match: { x: 4 } }, { $skip: 10 }, { $group: { _id: '$y' } }, { $limit: 5 }]),
    ).toBe(5);
    expect(await count([{ $match: { x: 4 } }, { $limit: 10 }, { $skip: 5 }])).toBe(5);
    expect(await count([{ $match: { x: 4 } }, { $limit: 7 }, { $limit: 3 }, { $skip: 1 }])).toBe(2);
  });
});

describe('expressions: $cond, $ifNull, $size, $concat, $dateToString', () => {
  async function project(expr: unknown, doc: Doc = {}): Promise<unknown> {
    const coll = await seed('expr', [{ _id: 0, ...doc }]);
    const [row] = await run(coll, [{ $project: { a: expr } }]);
    return row.a;
  }

  it('bugs/cond.js: literal, computed, field-path and coerced conditions', async () => {
    expect(await project({ $cond: [true, 1, 2] })).toBe(1);
    expect(await project({ $cond: [false, 1, 2] })).toBe(2);
    expect(await project({ $cond: [{ $and: [] }, { $add: [1] }, { $add: [1, 1] }] })).toBe(1);
    expect(await project({ $cond: [{ $or: [] }, { $add: [1] }, { $add: [1, 1] }] })).toBe(2);
    const fields = { t: true, f: false, x: 'foo', y: 'bar' };
    expect(await project({ $cond: ['$t', '$x', '$y'] }, fields)).toBe('foo');
    expect(await project({ $cond: ['$f', '$x', '$y'] }, fields)).toBe('bar');
    expect(await project({ $cond: [1, 'a', 'b'] })).toBe('a');
    expect(await project({ $cond: ['', 'a', 'b'] })).toBe('a');
    expect(await project({ $cond: [0, 'a', 'b'] })).toBe('b');
  });

  it('expressions/ifnull.js: more than two arguments return the first non-nullish one', async () => {
    expect(
      await project(
        { $ifNull: ['$my_null', '$my_null', '$my_false'] },
        { my_null: null, my_false: false },
      ),
    ).toBe(false);
    expect(
      await project({ $ifNull: ['$one', '$two', '$three'] }, { one: 1, two: 2, three: 3 }),
    ).toBe(1);
    expect(await project({ $ifNull: ['$nonexistent', '$nonexistent', null] })).toBeNull();
  });

  it('bugs/ifnull.js: first non-null wins; falsy non-null values are kept', async () => {
    expect(await project({ $ifNull: [1, 2] })).toBe(1);
    expect(await project({ $ifNull: [false, 1] })).toBe(false);
    expect(await project({ $ifNull: ['', 1] })).toBe('');
    expect(await project({ $ifNull: [[], 1] })).toEqual([]);
    expect(await project({ $ifNull: [null, 2] })).toBe(2);
    expect(await project({ $ifNull: [null, null] })).toBeNull();
    expect(await project({ $ifNull: [{ $add: [1, 2] }, 5] })).toBe(3);
    expect(await project({ $ifNull: ['$missingField', { $multiply: [4, 5] }] })).toBe(20);
  });

  it('bugs/ifnull.js: nested $ifNull chains', async () => {
    const chain = { $ifNull: ['$a', { $ifNull: ['$b', { $ifNull: ['$c', '$d'] }] }] };
    expect(await project(chain, { d: 'foo' })).toBe('foo');
    expect(await project(chain, { d: 'foo', b: 'bar' })).toBe('bar');
  });

  it('expressions/concat.js: $concat of no arguments gives ""', async () => {
    expect(await project({ $concat: [] })).toBe('');
  });

  /** $project result of each expression (or 'error: <message>'), one per entry. */
  async function projectEach(exprs: unknown[], doc: Doc = {}): Promise<unknown[]> {
    const coll = await seed('expreach', [{ _id: 0, ...doc }]);
    const out: unknown[] = [];
    for (const expr of exprs) {
      out.push(
        await run(coll, [{ $project: { a: expr } }]).then(
          (rows): unknown => rows[0].a,
          (e: unknown) => `error: ${(e as Error).message}`,
        ),
      );
    }
    return out;
  }

  it('expressions/date_to_string.js: month names and the default format in a timezone', async () => {
    expect(
      await projectEach([
        { $dateToString: { format: '%b (%B) %d, %Y', date: new Date('2017-07-04T15:09:12.911Z') } },
        {
          $dateToString: {
            date: new Date('2017-07-04T15:09:12.911Z'),
            timezone: 'America/New_York',
          },
        },
      ]),
    ).toEqual(['Jul (July) 04, 2017', '2017-07-04T11:09:12.911Z']);
  });
});
