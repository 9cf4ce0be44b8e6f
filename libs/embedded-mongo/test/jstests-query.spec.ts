/**
 * Query, projection and sort expectations ported from MongoDB's own jstests (mongodb/mongo,
 * jstests/core/query/...). Each test names the jstest it comes from; expected results are the
 * ones the jstest asserts. Documents holding the deprecated `undefined` BSON type are left out
 * (MongoDB 8.0 changed how null matches undefined, and the driver cannot send undefined anyway).
 */
import { type Collection, type Document, type Filter } from 'mongodb';
import { startHarness, stopHarness, type Doc, type Harness, serverCodeOf } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

/** A fresh collection holding `docs`. */
async function seed(prefix: string, docs: Doc[]): Promise<Collection<Doc>> {
  const coll = h.freshColl(prefix);
  if (docs.length > 0) await coll.insertMany(docs.map((d) => ({ ...d })));
  return coll;
}

/** The _ids matching `filter`, sorted by _id. */
async function idsOf(coll: Collection<Doc>, filter: Document): Promise<unknown[]> {
  const docs = await coll
    .find(filter as Filter<Doc>)
    .sort({ _id: 1 })
    .toArray();
  return docs.map((d) => d._id);
}

/** String ids sorted the way MongoDB sorts them (byte order, ASCII here). */
function sorted(ids: string[]): string[] {
  return [...ids].sort();
}

describe('null_query_semantics.js (jstests/core/query/null_query_semantics.js)', () => {
  const SCALAR_DOCS: Doc[] = [
    { _id: 'a_empty_subobject', a: {} },
    { _id: 'a_null', a: null },
    { _id: 'a_number', a: 4 },
    { _id: 'a_subobject_b_not_null', a: { b: 'hi' } },
    { _id: 'a_subobject_b_null', a: { b: null } },
    { _id: 'no_a' },
  ];
  const ARRAY_DOCS: Doc[] = [
    { _id: 'a_double_array', a: [[]] },
    { _id: 'a_empty_array', a: [] },
    { _id: 'a_object_array_no_b_nulls', a: [{ b: 1 }, { b: 3 }, { b: 'string' }] },
    { _id: 'a_object_array_some_b_nulls', a: [{ b: null }, { b: 3 }, { b: null }] },
    { _id: 'a_object_array_some_b_missing', a: [{ b: 3 }, {}] },
    { _id: 'a_value_array_all_nulls', a: [null, null] },
    { _id: 'a_value_array_no_nulls', a: [1, 'string', 4] },
    { _id: 'a_value_array_with_null', a: [1, 'string', null, 4] },
  ];

  let scalars: Collection<Doc>;
  let all: Collection<Doc>;

  beforeAll(async () => {
    scalars = await seed('nullq', SCALAR_DOCS);
    all = await seed('nullqa', [...SCALAR_DOCS, ...ARRAY_DOCS]);
  });

  it('without arrays: {a: {$eq: null}} matches null and missing; $ne null the rest', async () => {
    expect(await idsOf(scalars, { a: { $eq: null } })).toEqual(['a_null', 'no_a']);
    expect(await scalars.countDocuments({ a: { $eq: null } })).toBe(2);
    expect(await idsOf(scalars, { a: { $ne: null } })).toEqual(
      sorted(['a_empty_subobject', 'a_number', 'a_subobject_b_not_null', 'a_subobject_b_null']),
    );
  });

  it('without arrays: $in [null, 4], $or null/4, $nin [null, 4] and $nin [null, regex]', async () => {
    expect(await idsOf(scalars, { a: { $in: [null, 4] } })).toEqual(['a_null', 'a_number', 'no_a']);
    expect(await idsOf(scalars, { $or: [{ a: null }, { a: 4 }] })).toEqual([
      'a_null',
      'a_number',
      'no_a',
    ]);
    expect(await idsOf(scalars, { a: { $nin: [null, 4] } })).toEqual(
      sorted(['a_empty_subobject', 'a_subobject_b_not_null', 'a_subobject_b_null']),
    );
    expect(await idsOf(scalars, { a: { $nin: [null, /^hi.*/] } })).toEqual(
      sorted(['a_empty_subobject', 'a_number', 'a_subobject_b_not_null', 'a_subobject_b_null']),
    );
    expect(await idsOf(scalars, { a: { $exists: false } })).toEqual(['no_a']);
  });

  it('without arrays: dotted a.b null / $ne null / $exists false', async () => {
    expect(await idsOf(scalars, { 'a.b': { $eq: null } })).toEqual(
      sorted(['a_empty_subobject', 'a_null', 'a_number', 'a_subobject_b_null', 'no_a']),
    );
    expect(await idsOf(scalars, { 'a.b': { $ne: null } })).toEqual(['a_subobject_b_not_null']);
    expect(await idsOf(scalars, { 'a.b': { $exists: false } })).toEqual(
      sorted(['no_a', 'a_empty_subobject', 'a_null', 'a_number']),
    );
  });

  it('without arrays: projecting {_id: 0, "a.b": 1} of the a.b == null matches', async () => {
    const docs = await scalars
      .find({ 'a.b': { $eq: null } }, { projection: { _id: 0, 'a.b': 1 } })
      .sort({ _id: 1 })
      .toArray();
    // a_empty_subobject, a_null, a_number, a_subobject_b_null, no_a
    expect(docs).toEqual([{ a: {} }, {}, {}, { a: { b: null } }, {}]);
  });

  it('without arrays: every $elemMatch form matches nothing', async () => {
    for (const query of [
      { a: { $elemMatch: { $eq: null } } },
      { a: { $elemMatch: { $ne: null } } },
      { 'a.b': { $elemMatch: { $eq: null } } },
      { 'a.b': { $elemMatch: { $ne: null } } },
      { a: { $elemMatch: { b: { $eq: null } } } },
      { a: { $elemMatch: { b: { $ne: null } } } },
    ]) {
      expect([query, await idsOf(scalars, query)]).toEqual([query, []]);
    }
  });

  it('with arrays: {a: null} also matches arrays holding null; $ne null and $not $gte null the rest', async () => {
    expect(await idsOf(all, { a: { $eq: null } })).toEqual(
      sorted(['a_null', 'a_value_array_all_nulls', 'a_value_array_with_null', 'no_a']),
    );
    const notNull = sorted([
      'a_double_array',
      'a_empty_array',
      'a_empty_subobject',
      'a_number',
      'a_object_array_no_b_nulls',
      'a_object_array_some_b_nulls',
      'a_object_array_some_b_missing',
      'a_subobject_b_not_null',
      'a_subobject_b_null',
      'a_value_array_no_nulls',
    ]);
    expect(await idsOf(all, { a: { $ne: null } })).toEqual(notNull);
    expect(await all.countDocuments({ a: { $ne: null } })).toBe(notNull.length);
    expect(await idsOf(all, { a: { $not: { $gte: null } } })).toEqual(notNull);
  });

  it('with arrays: $in [null, 75] / $nin [null, 75] / $nin [null, []] / $nin [null, regex]', async () => {
    expect(await idsOf(all, { a: { $in: [null, 75] } })).toEqual(
      sorted(['a_null', 'no_a', 'a_value_array_all_nulls', 'a_value_array_with_null']),
    );
    expect(await idsOf(all, { $or: [{ a: null }, { a: 75 }] })).toEqual(
      sorted(['a_null', 'no_a', 'a_value_array_all_nulls', 'a_value_array_with_null']),
    );
    expect(await idsOf(all, { a: { $nin: [null, 75] } })).toEqual(
      sorted([
        'a_empty_subobject',
        'a_number',
        'a_subobject_b_not_null',
        'a_subobject_b_null',
        'a_double_array',
        'a_empty_array',
        'a_object_array_no_b_nulls',
        'a_object_array_some_b_nulls',
        'a_object_array_some_b_missing',
        'a_value_array_no_nulls',
      ]),
    );
    expect(await idsOf(all, { a: { $nin: [null, []] } })).toEqual(
      sorted([
        'a_empty_subobject',
        'a_number',
        'a_subobject_b_not_null',
        'a_subobject_b_null',
        'a_object_array_no_b_nulls',
        'a_object_array_some_b_nulls',
        'a_object_array_some_b_missing',
        'a_value_array_no_nulls',
      ]),
    );
    expect(await idsOf(all, { a: { $nin: [null, /^str.*/] } })).toEqual(
      sorted([
        'a_empty_subobject',
        'a_number',
        'a_subobject_b_not_null',
        'a_subobject_b_null',
        'a_double_array',
        'a_empty_array',
        'a_object_array_no_b_nulls',
        'a_object_array_some_b_nulls',
        'a_object_array_some_b_missing',
      ]),
    );
  });

  it('with arrays: $elemMatch {$eq: null} and {$ne: null} on values', async () => {
    expect(await idsOf(all, { a: { $elemMatch: { $eq: null } } })).toEqual(
      sorted(['a_value_array_all_nulls', 'a_value_array_with_null']),
    );
    expect(await idsOf(all, { a: { $elemMatch: { $ne: null } } })).toEqual(
      sorted([
        'a_double_array',
        'a_object_array_no_b_nulls',
        'a_object_array_some_b_nulls',
        'a_object_array_some_b_missing',
        'a_value_array_no_nulls',
        'a_value_array_with_null',
      ]),
    );
  });

  it('with arrays: "a.b" == null matches non-object a and array elements with null/missing b', async () => {
    const expected = sorted([
      'a_empty_subobject',
      'a_null',
      'a_number',
      'a_subobject_b_null',
      'no_a',
      'a_object_array_some_b_nulls',
      'a_object_array_some_b_missing',
    ]);
    expect(await idsOf(all, { 'a.b': { $eq: null } })).toEqual(expected);
    expect(await idsOf(all, { 'a.b': { $in: [null, 75] } })).toEqual(expected);
    expect(await idsOf(all, { $or: [{ 'a.b': null }, { 'a.b': 75 }] })).toEqual(expected);
  });

  it('with arrays: "a.b" $ne null and $nin [null, 75]', async () => {
    const expected = sorted([
      'a_subobject_b_not_null',
      'a_double_array',
      'a_empty_array',
      'a_object_array_no_b_nulls',
      'a_value_array_all_nulls',
      'a_value_array_no_nulls',
      'a_value_array_with_null',
    ]);
    expect(await idsOf(all, { 'a.b': { $ne: null } })).toEqual(expected);
    expect(await idsOf(all, { 'a.b': { $nin: [null, 75] } })).toEqual(expected);
    expect(await idsOf(all, { 'a.b': { $nin: [null, /^str.*/] } })).toEqual(
      sorted([
        'a_subobject_b_not_null',
        'a_double_array',
        'a_empty_array',
        'a_value_array_all_nulls',
        'a_value_array_no_nulls',
        'a_value_array_with_null',
      ]),
    );
  });

  it('with arrays: projecting "a.b" of the "a.b" $ne null matches keeps only subdocuments', async () => {
    const docs = await all
      .find({ 'a.b': { $ne: null } }, { projection: { _id: 0, 'a.b': 1 } })
      .sort({ _id: 1 })
      .toArray();
    expect(docs).toEqual([
      { a: [[]] }, // a_double_array
      { a: [] }, // a_empty_array
      { a: [{ b: 1 }, { b: 3 }, { b: 'string' }] }, // a_object_array_no_b_nulls
      { a: { b: 'hi' } }, // a_subobject_b_not_null
      { a: [] }, // a_value_array_all_nulls
      { a: [] }, // a_value_array_no_nulls
      { a: [] }, // a_value_array_with_null
    ]);
  });

  it('with arrays: $elemMatch on "a.b" matches nothing; $elemMatch {b: null} / {b: {$ne: null}}', async () => {
    expect(await idsOf(all, { 'a.b': { $elemMatch: { $eq: null } } })).toEqual([]);
    expect(await idsOf(all, { 'a.b': { $elemMatch: { $ne: null } } })).toEqual([]);
    expect(await idsOf(all, { a: { $elemMatch: { b: { $eq: null } } } })).toEqual(
      sorted(['a_double_array', 'a_object_array_some_b_nulls', 'a_object_array_some_b_missing']),
    );
    expect(await idsOf(all, { a: { $elemMatch: { b: { $ne: null } } } })).toEqual(
      sorted([
        'a_object_array_no_b_nulls',
        'a_object_array_some_b_nulls',
        'a_object_array_some_b_missing',
      ]),
    );
  });
});

describe('$exists (jstests/core/query/exists/*.js)', () => {
  it('exists.js: null, $ne null and $exists along a nested path', async () => {
    const coll = await seed('exists', [
      { _id: 1 },
      { _id: 2, a: 1 },
      { _id: 3, a: { b: 1 } },
      { _id: 4, a: { b: { c: 1 } } },
      { _id: 5, a: { b: { c: { d: null } } } },
    ]);
    const count = (filter: Document) => coll.countDocuments(filter);
    expect(
      await Promise.all([
        count({ a: null }),
        count({ 'a.b': null }),
        count({ 'a.b.c': null }),
        count({ 'a.b.c.d': null }),
      ]),
    ).toEqual([1, 2, 3, 5]);
    expect(
      await Promise.all([
        count({ a: { $ne: null } }),
        count({ 'a.b': { $ne: null } }),
        count({ 'a.b.c': { $ne: null } }),
        count({ 'a.b.c.d': { $ne: null } }),
      ]),
    ).toEqual([4, 3, 2, 0]);
    expect(
      await Promise.all([
        count({ a: { $exists: true } }),
        count({ 'a.b': { $exists: true } }),
        count({ 'a.b.c': { $exists: true } }),
        count({ 'a.b.c.d': { $exists: true } }),
      ]),
    ).toEqual([4, 3, 2, 1]);
    expect(
      await Promise.all([
        count({ a: { $exists: false } }),
        count({ 'a.b': { $exists: false } }),
        count({ 'a.b.c': { $exists: false } }),
        count({ 'a.b.c.d': { $exists: false } }),
      ]),
    ).toEqual([1, 2, 3, 4]);
  });

  it('exists.js: $exists on a path through an array of subdocuments', async () => {
    const coll = await seed('exists2', [{ _id: 1, r: [{ s: 1 }] }]);
    expect(await idsOf(coll, { 'r.s': { $exists: true } })).toEqual([1]);
    expect(await idsOf(coll, { 'r.s': { $exists: false } })).toEqual([]);
    expect(await idsOf(coll, { 'r.t': { $exists: true } })).toEqual([]);
    expect(await idsOf(coll, { 'r.t': { $exists: false } })).toEqual([1]);
  });

  it('exists9.js: a missing nested field, an empty array and a numeric path into an empty array', async () => {
    const c1 = await seed('exists9a', [{ _id: 1, a: {} }]);
    expect(await idsOf(c1, { 'a.b': { $exists: false } })).toEqual([1]);
    expect(await idsOf(c1, { 'a.b': { $exists: true } })).toEqual([]);

    const c2 = await seed('exists9b', [{ _id: 1 }, { _id: 2, a: [] }]);
    expect(await idsOf(c2, { a: { $exists: true } })).toEqual([2]);
    expect(await idsOf(c2, { a: { $exists: false } })).toEqual([1]);

    const c3 = await seed('exists9c', [
      { _id: 1, a: { '0': 1 } },
      { _id: 2, a: [] },
    ]);
    expect(await idsOf(c3, { 'a.0': { $exists: true } })).toEqual([1]);
    expect(await idsOf(c3, { 'a.0': { $exists: false } })).toEqual([2]);
  });

  it('exists6.js / existsb.js: $exists, $not $exists and combinations with equality', async () => {
    const coll = await seed('existsb', [
      { _id: 1 },
      { _id: 2, a: 1 },
      { _id: 3, b: 1 },
      { _id: 4, a: 1, b: null },
      { _id: 5, a: 1, b: 1 },
    ]);
    const count = (filter: Document) => coll.countDocuments(filter);
    expect(
      await Promise.all([
        count({ a: { $exists: true } }),
        count({ a: { $exists: false } }),
        count({ b: { $exists: true } }),
        count({ b: { $exists: false } }),
        count({ a: { $not: { $exists: false } } }),
        count({ a: { $not: { $exists: true } } }),
        count({ b: { $not: { $exists: false } } }),
        count({ b: { $not: { $exists: true } } }),
      ]),
    ).toEqual([3, 2, 3, 2, 3, 2, 3, 2]);
    expect(
      await Promise.all([
        count({ a: 1, b: { $exists: true } }),
        count({ a: 1, b: { $exists: false } }),
        count({ a: { $exists: true }, b: 1 }),
        count({ a: { $exists: false }, b: 1 }),
        count({ a: { $exists: true }, b: { $exists: true } }),
        count({ a: { $exists: true }, b: { $exists: false } }),
        count({ a: { $exists: false }, b: { $exists: true } }),
        count({ a: { $exists: false }, b: { $exists: false } }),
      ]),
    ).toEqual([2, 1, 1, 1, 2, 1, 1, 1]);
  });
});

describe('$all, $in, $elemMatch (jstests/core/query/{all,in,elemmatch,array}/*.js)', () => {
  it('all.js: $all on arrays of numbers, repeated values, nested arrays and dotted paths', async () => {
    const coll = await seed('all', [
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
        count({ a: { $all: [1, 8] } }),
        count({ a: { $all: [1, 3] } }),
        count({ a: { $all: [2] } }),
        count({ a: { $all: [2, 3] } }),
        count({ a: { $all: [2, 1] } }),
      ]),
    ).toEqual([5, 2, 2, 1, 2, 1, 2]);
    await coll.insertOne({ _id: 8, a: [2, 2] });
    expect(await count({ a: { $all: [2, 2] } })).toBe(3);
    await coll.insertOne({ _id: 9, a: [[2]] });
    expect(await count({ a: { $all: [2] } })).toBe(3);
    await coll.insertOne({ _id: 10, a: [{ b: [10, 11] }, 11] });
    expect(await count({ 'a.b': { $all: [10] } })).toBe(1);
    expect(await count({ a: { $all: [11] } })).toBe(1);
    await coll.insertOne({ _id: 11, a: { b: [20, 30] } });
    expect(await count({ 'a.b': { $all: [20] } })).toBe(1);
    expect(await count({ 'a.b': { $all: [20, 30] } })).toBe(1);
    expect(await count({ a: { $all: [19] } })).toBe(0);
    expect(await count({ a: { $all: [] } })).toBe(0);
  });

  it('in.js: $in needs an array argument; an empty $in matches nothing; $in combines with $gt', async () => {
    const coll = await seed('in', [
      { _id: 1, a: 1 },
      { _id: 2, a: 2 },
    ]);
    await serverCodeOf(coll.find({ a: { $in: { x: 1 } } } as Filter<Doc>).toArray());
    await serverCodeOf(coll.find({ a: { $in: 1 } } as Filter<Doc>).toArray());
    expect(await idsOf(coll, { a: { $in: [1, 2] } })).toEqual([1, 2]);
    expect(await idsOf(coll, { a: { $in: [] } })).toEqual([]);
    expect(await idsOf(coll, { a: { $gt: 1, $in: [2] } })).toEqual([2]);
  });

  describe('elemmatch_value.js', () => {
    let coll: Collection<Doc>;
    const VALUES: unknown[] = [
      5,
      [5],
      [3, 7],
      [[5]],
      [[3, 7]],
      [[[5]]],
      [[[3, 7]]],
      { b: 5 },
      { b: [5] },
      { b: [3, 7] },
      [{ b: 5 }],
      [{ b: 3 }, { b: 7 }],
      [{ b: [5] }],
      [{ b: [3, 7] }],
      [[{ b: 5 }]],
      [[{ b: 3 }, { b: 7 }]],
      [[{ b: [5] }]],
      [[{ b: [3, 7] }]],
    ];

    beforeAll(async () => {
      coll = await seed(
        'emv',
        VALUES.map((a, i) => ({ _id: i, a })),
      );
    });

    async function values(filter: Document): Promise<unknown[]> {
      return (await idsOf(coll, filter)).map((id) => VALUES[id as number]);
    }

    it('$elemMatch with value predicates needs one element satisfying all of them', async () => {
      expect(await values({ a: { $elemMatch: { $lt: 6, $gt: 4 } } })).toEqual([[5]]);
      expect(await values({ 'a.b': { $elemMatch: { $lt: 6, $gt: 4 } } })).toEqual([
        { b: [5] },
        [{ b: [5] }],
      ]);
      expect(await values({ a: { $elemMatch: { $elemMatch: { $lt: 6, $gt: 4 } } } })).toEqual([
        [[5]],
      ]);
    });

    it('$elemMatch with $type number / array', async () => {
      expect(await values({ a: { $elemMatch: { $type: 'number' } } })).toEqual([[5], [3, 7]]);
      expect(await values({ a: { $elemMatch: { $type: 'array' } } })).toEqual([
        [[5]],
        [[3, 7]],
        [[[5]]],
        [[[3, 7]]],
        [[{ b: 5 }]],
        [[{ b: 3 }, { b: 7 }]],
        [[{ b: [5] }]],
        [[{ b: [3, 7] }]],
      ]);
    });

    it('$elemMatch with field predicates, nested $elemMatch', async () => {
      expect(await values({ a: { $elemMatch: { b: { $lt: 6, $gt: 4 } } } })).toEqual([
        [{ b: 5 }],
        [{ b: [5] }],
        [{ b: [3, 7] }],
      ]);
      expect(
        await values({ a: { $elemMatch: { b: { $elemMatch: { $lt: 6, $gt: 4 } } } } }),
      ).toEqual([[{ b: [5] }]]);
      expect(
        await values({ a: { $elemMatch: { $elemMatch: { b: { $lt: 6, $gt: 4 } } } } }),
      ).toEqual([[[{ b: 5 }]], [[{ b: [5] }]], [[{ b: [3, 7] }]]]);
    });
  });

  describe('arrayfind8.js', () => {
    /**
     * The jstest's checkQuery: `both` is matched by the plain and the $elemMatch form, `elem` only
     * by {a: {$elemMatch: subQuery}}, `plain` only by the plain form; each in its own collection.
     */
    async function checkQuery(
      subQuery: Document,
      both: unknown,
      elem: unknown,
      plain: unknown,
      extra: Document = {},
    ): Promise<void> {
      const docs: Doc[] = [];
      if (both) docs.push({ _id: 'both', a: both });
      if (elem) docs.push({ _id: 'elem', a: elem });
      if (plain) docs.push({ _id: 'plain', a: plain });
      const coll = await seed('af8', docs);
      const key = Object.keys(subQuery)[0];
      const standard = key.startsWith('$')
        ? { $and: [{ a: subQuery }, extra] }
        : { $and: [{ [`a.${key}`]: subQuery[key] as unknown }, extra] };
      const elemMatch = { $and: [{ a: { $elemMatch: subQuery } }, extra] };
      const expectStandard = [both ? 'both' : null, plain ? 'plain' : null].filter(Boolean);
      const expectElem = [both ? 'both' : null, elem ? 'elem' : null].filter(Boolean);
      expect([subQuery, 'plain', await idsOf(coll, standard)]).toEqual([
        subQuery,
        'plain',
        sorted(expectStandard as string[]),
      ]);
      expect([subQuery, 'elemMatch', await idsOf(coll, elemMatch)]).toEqual([
        subQuery,
        'elemMatch',
        sorted(expectElem as string[]),
      ]);
    }

    it('several constraints inside one $elemMatch must hold for the same element', async () => {
      await checkQuery({ $gt: 4 }, [5], null, null);
      await checkQuery({ $gt: 4, $lt: 6 }, [5], null, [3, 7]);
      await checkQuery({ $gt: 4, $not: { $gte: 6 } }, [5], null, null);
      await checkQuery({ $gt: 4, $not: { $ne: 6 } }, [6], null, null);
      await checkQuery({ $gte: 5, $lte: 5 }, [5], null, [4, 6]);
      await checkQuery({ $in: [4, 6], $gt: 5 }, [6], null, [4, 7]);
      await checkQuery({ $regex: '^a' }, ['a'], null, null);
    });

    it('constraints split between $elemMatch and the rest of the query', async () => {
      await checkQuery({ $gt: 4 }, [5], null, null, { a: { $lt: 6 } });
      await checkQuery({ $in: [4, 6] }, [6], null, null, { a: { $gt: 5 } });
      await checkQuery({ $gt: 4 }, [3, 7], null, null, { a: { $elemMatch: { $lt: 6 } } });
      await checkQuery({ $elemMatch: { $in: [5] } }, null, [[5]], [5]);
    });

    it('$elemMatch on subdocument fields, including nested $elemMatch', async () => {
      await checkQuery({ $elemMatch: { b: { $gte: 1, $lte: 1 } } }, null, [[{ b: 1 }]], [{ b: 1 }]);
      await checkQuery(
        { $elemMatch: { b: { $gte: 1, $lte: 1 } } },
        null,
        [[{ b: [0, 2] }]],
        [{ b: [0, 2] }],
      );
      await checkQuery({ b: { $elemMatch: { $gte: 1, $lte: 4 } } }, [{ b: [1] }], null, null);
      await checkQuery({ b: { $elemMatch: { $in: [1, 2] }, $in: [2, 3] } }, [{ b: [2] }], null, [
        { b: [1] },
        { b: [3] },
      ]);
    });
  });

  it('arrayfind8.js: $elemMatch of $elemMatch vs a plain $elemMatch on nested arrays', async () => {
    const coll = await seed('af8b', [
      { _id: 1, a: [[5]] },
      { _id: 2, a: [5] },
    ]);
    expect(await idsOf(coll, { a: { $elemMatch: { $in: [5] } } })).toEqual([2]);
    expect(await idsOf(coll, { a: { $elemMatch: { $elemMatch: { $in: [5] } } } })).toEqual([1]);
  });
});

describe('numeric path components (update_arraymatch8.js, lookup_numeric_field.js)', () => {
  it('"a.0.0.b" and "a.0.b" both reach into [[{b}]]', async () => {
    const coll = await seed('numpath', [{ _id: 1, a: [[{ b: 'old' }]] }]);
    expect(await idsOf(coll, { 'a.0.0.b': 'old' })).toEqual([1]);
    expect(await idsOf(coll, { 'a.0.b': 'old' })).toEqual([1]);
  });

  it('"a.0.b.0.c", "a.b.0.c", "a.0.b.c" and "a.b.c" all reach into [{b: [{c}]}]', async () => {
    const coll = await seed('numpath2', [{ _id: 1, a: [{ b: [{ c: 'old' }] }] }]);
    for (const path of ['a.0.b.0.c', 'a.b.0.c', 'a.0.b.c', 'a.b.c']) {
      expect([path, await idsOf(coll, { [path]: 'old' })]).toEqual([path, [1]]);
    }
  });
});

describe('projection (jstests/core/query/project/*.js, elemmatch_projection.js)', () => {
  it('projection_dotted_paths.js: inclusion of dotted paths, including paths that do not exist', async () => {
    const coll = await seed('projdot', [{ _id: 1, a: 1, b: { c: 1, d: 1, e: 1 }, c: 1, e: 1 }]);
    expect(
      await coll.findOne({ a: 1 }, { projection: { _id: 0, a: 1, 'b.c': 1, 'b.d': 1, c: 1 } }),
    ).toEqual({ a: 1, b: { c: 1, d: 1 }, c: 1 });
    expect(await coll.findOne({ a: 1 }, { projection: { _id: 0, 'b.c': 1, c: 1 } })).toEqual({
      b: { c: 1 },
      c: 1,
    });
    expect(
      await coll.findOne({ a: 1 }, { projection: { _id: 0, 'b.c': 1, 'b.z': 1, c: 1 } }),
    ).toEqual({ b: { c: 1 }, c: 1 });
    expect(
      await coll.findOne({ _id: 1 }, { projection: { _id: 0, 'b.c': 1, 'b.e': 1, c: 1 } }),
    ).toEqual({ b: { c: 1, e: 1 }, c: 1 });
  });

  it('projection_dotted_paths.js: a projected subfield keeps its array (computed projections skipped: the store declares them unsupported)', async () => {
    const coll = await seed('projdot2', [
      { _id: 1, a: 2, b: { c: 1, d: [1, 2, 3] } },
      { _id: 2, a: { x: 1, b: { x: 2 } }, b: { c: 3 } },
    ]);
    expect(await coll.findOne({ a: 2 }, { projection: { _id: 0, 'b.c': 1, 'b.d': 1 } })).toEqual({
      b: { c: 1, d: [1, 2, 3] },
    });
  });

  describe('slice1.js', () => {
    it('$slice with a count, a negative count, [skip, limit] and negative skip', async () => {
      const coll = await seed('slice', [
        { _id: 1, a: [0, 1, 2, 3, 4, 5, -5, -4, -3, -2, -1], b: 1, c: 1 },
      ]);
      const a = async (slice: unknown) =>
        (await coll.findOne({}, { projection: { a: { $slice: slice } } }))?.a as unknown;
      expect(await a(3)).toEqual([0, 1, 2]);
      expect(await a(-3)).toEqual([-3, -2, -1]);
      expect(await a([2, 3])).toEqual([2, 3, 4]);
      expect(await a([-5, 4])).toEqual([-5, -4, -3, -2]);
      expect(await a([-5, 10])).toEqual([-5, -4, -3, -2, -1]);
    });

    it('$slice alone is an exclusion projection; with an inclusion it only keeps included fields', async () => {
      const coll = await seed('slice2', [{ _id: 1, a: [0, 1, 2, 3], b: 1, c: 1 }]);
      expect(await coll.findOne({}, { projection: { a: { $slice: 3 } } })).toEqual({
        _id: 1,
        a: [0, 1, 2],
        b: 1,
        c: 1,
      });
      expect(await coll.findOne({}, { projection: { a: { $slice: 3 }, b: true } })).toEqual({
        _id: 1,
        a: [0, 1, 2],
        b: 1,
      });
      expect(await coll.findOne({}, { projection: { a: { $slice: 3 }, b: false } })).toEqual({
        _id: 1,
        a: [0, 1, 2],
        c: 1,
      });
      const c2 = await seed('slice3', [
        {
          _id: 1,
          comments: [
            { id: 0, text: 'a' },
            { id: 1, text: 'b' },
            { id: 2, text: 'c' },
          ],
          title: 'foo',
        },
      ]);
      const out = await c2.findOne(
        {},
        { projection: { comments: { $slice: 2 }, irrelevantField: 1 } },
      );
      expect(out).toEqual({
        _id: 1,
        comments: [
          { id: 0, text: 'a' },
          { id: 1, text: 'b' },
        ],
      });
    });

    it('$slice on a nested path goes only one array level deep', async () => {
      const coll = await seed('slice4', [
        { _id: 1, a: { b: [1, 2, 3] } },
        { _id: 2, a: [{ b: [1, 2, 3] }] },
        { _id: 3, a: [[{ b: [1, 2, 3] }]] },
        { _id: 4, a: [[{ b: [1, 2, 3] }], { b: [1, 2, 3] }, 1, null, {}] },
      ]);
      const out = await coll
        .find({}, { projection: { a: { b: { $slice: [1, 1] } } } })
        .sort({ _id: 1 })
        .toArray();
      expect(out).toEqual([
        { _id: 1, a: { b: [2] } },
        { _id: 2, a: [{ b: [2] }] },
        { _id: 3, a: [[{ b: [1, 2, 3] }]] },
        { _id: 4, a: [[{ b: [1, 2, 3] }], { b: [2] }, 1, null, {}] },
      ]);
    });

    it('$slice of a non-array or missing path leaves the document as the other projections say', async () => {
      const one = async (doc: Doc, projection: Document) => {
        const coll = await seed('slice5', [{ _id: 1, ...doc }]);
        return coll.findOne({}, { projection: { _id: 0, ...projection } });
      };
      expect(await one({ a: { c: 123 } }, { a: { $slice: 1 } })).toEqual({ a: { c: 123 } });
      expect(await one({ a: { c: 123 }, d: 456 }, { a: { $slice: 1 }, d: 0 })).toEqual({
        a: { c: 123 },
      });
      expect(await one({ b: { e: 123 } }, { a: { $slice: 1 } })).toEqual({ b: { e: 123 } });
      expect(await one({ b: { e: 123 }, d: 456 }, { a: { $slice: 1 }, d: 1 })).toEqual({ d: 456 });
      expect(await one({ b: { e: 123 }, d: 456 }, { a: { $slice: 1 }, d: 0 })).toEqual({
        b: { e: 123 },
      });
      expect(await one({ a: [1, 2, 3] }, { a: { $slice: [1, 1] } })).toEqual({ a: [2] });
    });
  });

  describe('elemmatch_projection.js', () => {
    async function project(doc: Doc, projection: Document): Promise<Doc | null> {
      const coll = await seed('emproj', [{ _id: 1, ...doc }]);
      const out = await coll.findOne({}, { projection });
      if (!out) return out;
      const rest: Doc = { ...out };
      delete rest._id;
      return rest;
    }

    it('returns only the first matching element, for object and value predicates', async () => {
      const x = [
        { a: 1, b: 4 },
        { a: -6, c: 3 },
      ];
      expect(await project({ x }, { x: { $elemMatch: { a: -6 } } })).toEqual({
        x: [{ a: -6, c: 3 }],
      });
      expect(await project({ x }, { x: { $elemMatch: { a: { $lt: 1 } } } })).toEqual({
        x: [{ a: -6, c: 3 }],
      });
      expect(
        await project(
          {
            x: [
              { a: 1, b: 1 },
              { a: 1, b: 2 },
            ],
          },
          { x: { $elemMatch: { a: { $gt: 0, $lt: 2 } } } },
        ),
      ).toEqual({ x: [{ a: 1, b: 1 }] });
      expect(
        await project({ x: [1, 2, 3, 4, 5] }, { x: { $elemMatch: { $in: [100, 4, -123] } } }),
      ).toEqual({ x: [4] });
      expect(
        await project({ x: [1, 2, 3, 4, 5] }, { x: { $elemMatch: { $nin: [4, 5, 6] } } }),
      ).toEqual({ x: [1] });
      expect(
        await project({ x: [1, 2, 4, 3, 5] }, { x: { $elemMatch: { $gt: 2, $lt: 4 } } }),
      ).toEqual({ x: [3] });
    });

    it('an empty $elemMatch picks the first array or object element; nested $elemMatch', async () => {
      expect(
        await project({ x: ['string', 123, [1, 2, 3], { a: 1 }] }, { x: { $elemMatch: {} } }),
      ).toEqual({ x: [[1, 2, 3]] });
      expect(await project({ x: ['string', 123, { a: 1 }] }, { x: { $elemMatch: {} } })).toEqual({
        x: [{ a: 1 }],
      });
      expect(
        await project(
          {
            x: [
              [1, 2, 3],
              [4, 5, 6],
              [7, 8, 9],
            ],
          },
          { x: { $elemMatch: { $elemMatch: { $gt: 5, $lt: 7 } } } },
        ),
      ).toEqual({
        x: [[4, 5, 6]],
      });
    });

    it('two $elemMatch projections with _id excluded; no match or a non-array drops the field', async () => {
      expect(
        await project(
          {
            x: [
              { a: 1, b: 2 },
              { a: 3, b: 4 },
            ],
            y: [
              { c: 1, d: 2 },
              { c: 3, d: 4 },
            ],
          },
          { _id: 0, x: { $elemMatch: { a: 1 } }, y: { $elemMatch: { c: 3 } } },
        ),
      ).toEqual({ x: [{ a: 1, b: 2 }], y: [{ c: 3, d: 4 }] });
      expect(await project({ x: [1, 2, 3] }, { x: { $elemMatch: { $lt: 0 } } })).toEqual({});
      expect(await project({ x: { a: 123 }, d: 456 }, { x: { $elemMatch: { $gt: 2 } } })).toEqual(
        {},
      );
      expect(
        await project({ x: { a: 123 }, d: 456 }, { x: { $elemMatch: { $gt: 2 } }, d: 1 }),
      ).toEqual({ d: 456 });
    });
  });

  describe('positional_projection.js', () => {
    async function project(query: Document, projection: Document, doc: Doc): Promise<unknown> {
      const coll = await seed('posproj', [{ _id: 1, ...doc }]);
      const out = await coll.findOne(query as Filter<Doc>, { projection });
      if (!out) return out;
      const rest: Doc = { ...out };
      delete rest._id;
      return rest;
    }
    const X = [
      { a: 1, b: 2 },
      { a: 2, c: 3 },
      { a: 1, d: 5 },
    ];

    it('"x.$" returns the element matched by the query on that array', async () => {
      expect(await project({ 'x.a': 2 }, { 'x.$': 1 }, { x: X })).toEqual({ x: [{ a: 2, c: 3 }] });
      expect(await project({ 'x.a': 1 }, { 'x.$': 1 }, { x: X })).toEqual({ x: [{ a: 1, b: 2 }] });
      expect(
        await project(
          { 'x.y.a': 1 },
          { 'x.y.$': 1 },
          {
            x: {
              y: [
                { a: 1, b: 1 },
                { a: 1, b: 2 },
              ],
            },
          },
        ),
      ).toEqual({ x: { y: [{ a: 1, b: 1 }] } });
    });

    it('positional projection of a missing path returns an empty document', async () => {
      expect(await project({}, { 'g.$': 1 }, { x: X })).toEqual({});
      expect(await project({ x: 1 }, { 'a.$': 1 }, { x: 1 })).toEqual({});
    });

    it('applies to the first array along the projected path, using the index from another array', async () => {
      expect(
        await project(
          { 'x.y.z': 1 },
          { 'a.b.c.$': 1 },
          {
            x: { y: { z: [0, 1, 2] } },
            a: [{ b: { c: [1, 2, 3] } }, { b: { c: [4, 5, 6] } }, { b: { c: [7, 8, 9] } }],
          },
        ),
      ).toEqual({ a: [{ b: { c: [4, 5, 6] } }] });
      expect(
        await project(
          { 'x.y.z': 1 },
          { 'a.b.c.$': 1 },
          { x: { y: { z: [0, 1, 2] } }, a: { b: { c: [1, 2, 3] } } },
        ),
      ).toEqual({ a: { b: { c: [2] } } });
    });

    it('$elemMatch in the query and $and / $in / $or decide the position', async () => {
      expect(
        await project({ x: { $elemMatch: { $gt: 1, $lt: 3 } } }, { 'x.$': 1 }, { x: [1, 2, 3] }),
      ).toEqual({ x: [2] });
      const ab = { a: [1, 2, 3], b: [4, 5, 6] };
      expect(await project({ $and: [{ a: 1 }, { a: 2 }, { a: 3 }] }, { 'b.$': 1 }, ab)).toEqual({
        b: [6],
      });
      expect(await project({ $and: [{ a: 3 }, { a: 2 }, { a: 1 }] }, { 'b.$': 1 }, ab)).toEqual({
        b: [4],
      });
      expect(await project({ a: { $in: [2, 3] } }, { 'b.$': 1 }, ab)).toEqual({ b: [5] });
      expect(await project({ $or: [{ a: 2 }, { a: 3 }] }, { 'b.$': 1 }, ab)).toEqual({ b: [5] });
    });

    it('invalid positional projections fail with 31271, 31254, 31276 and 51246', async () => {
      const coll = await seed('posprojerr', [{ _id: 1, x: X, y: [{ aa: 1 }] }]);
      expect(
        await serverCodeOf(coll.find({ x: 1 }, { projection: { 'x.$': { $slice: 1 } } }).toArray()),
      ).toBe(31271);
      expect(
        await serverCodeOf(coll.find({ 'x.a': 2 }, { projection: { 'x.$': 1, y: 0 } }).toArray()),
      ).toBe(31254);
      expect(
        await serverCodeOf(
          coll.find({ 'x.a': 1, 'y.aa': 1 }, { projection: { 'x.$': 1, 'y.$': 1 } }).toArray(),
        ),
      ).toBe(31276);
      expect(await serverCodeOf(coll.find({}, { projection: { 'x.$': 1 } }).toArray())).toBe(51246);
    });
  });
});

describe('sort (jstests/core/query/sort/*.js)', () => {
  async function sortedIds(coll: Collection<Doc>, sort: Document): Promise<unknown[]> {
    const docs = await coll
      .find({}, { projection: { _id: 1 } })
      .sort(sort)
      .toArray();
    return docs.map((d) => d._id);
  }

  it('sort_dotted_paths.js: null, missing, {}, [], [1] and [[1]] in ascending and descending order (a.0 ascending only)', async () => {
    // The jstest's documents with `undefined` (_id 2 and 9) are left out; the rest keep their order.
    const coll = await seed('sortmix', [
      { _id: 1, a: 1 },
      { _id: 3, a: null },
      { _id: 4, a: {} },
      { _id: 5, a: [] },
      { _id: 6, a: [1] },
      { _id: 7, a: [[1]] },
      { _id: 8 },
    ]);
    expect(await sortedIds(coll, { a: 1, _id: 1 })).toEqual([5, 3, 8, 1, 6, 4, 7]);
    expect(await sortedIds(coll, { a: -1, _id: 1 })).toEqual([7, 4, 1, 6, 3, 8, 5]);
    expect(await sortedIds(coll, { 'a.0': 1, _id: 1 })).toEqual([1, 3, 4, 5, 8, 6, 7]);
  });

  it('sort_dotted_paths.js: compound sort where either field may be an array', async () => {
    const coll = await seed('sortab', [
      { _id: 1, a: 1, b: [2] },
      { _id: 2, a: 2, b: [] },
      { _id: 3, a: [], b: 4 },
      { _id: 4, a: [1], b: 4 },
      { _id: 5, a: [2, 3], b: 2 },
      { _id: 6, a: 2, b: [3, 5] },
      { _id: 7, a: 1, b: [1, 3] },
      { _id: 8, a: [1, 2], b: 3 },
      { _id: 9, a: 2, b: 3 },
    ]);
    expect(await sortedIds(coll, { a: 1, b: 1, _id: 1 })).toEqual([3, 7, 1, 8, 4, 2, 5, 6, 9]);
    expect(await sortedIds(coll, { a: 1, b: -1, _id: 1 })).toEqual([3, 4, 7, 8, 1, 6, 9, 5, 2]);
    expect(await sortedIds(coll, { a: -1, b: 1, _id: 1 })).toEqual([5, 2, 6, 8, 9, 7, 1, 4, 3]);
    expect(await sortedIds(coll, { a: -1, b: -1, _id: 1 })).toEqual([5, 6, 8, 9, 2, 4, 7, 1, 3]);
  });

  it('sort_dotted_paths.js: a compound sort over two array fields of one document fails (2 or 171)', async () => {
    const coll = await seed('sortpar', [
      { _id: 1, a: [], b: 1 },
      { _id: 2, a: 1, b: [] },
      { _id: 3, a: [], b: [] },
    ]);
    expect([2, 171]).toContain(await serverCodeOf(coll.find({}).sort({ a: 1, b: 1 }).toArray()));
    const filtered = await coll
      .find({ $or: [{ a: { $not: { $type: 'array' } } }, { b: { $not: { $type: 'array' } } }] })
      .sort({ a: 1, b: 1 })
      .toArray();
    expect(filtered).toEqual([
      { _id: 1, a: [], b: 1 },
      { _id: 2, a: 1, b: [] },
    ]);
  });

  it('sort_dotted_paths.js: sort on "a.b" through arrays and empty arrays', async () => {
    const coll = await seed('sortdot', [
      { _id: 1, a: { b: 2 } },
      { _id: 2, a: { b: [] } },
      { _id: 3, a: { b: [2, 3] } },
      { _id: 4, a: { c: 1 } },
      { _id: 5, a: [] },
      { _id: 6, a: [{ b: [5] }] },
      { _id: 7, a: [{ b: [4, 5] }, { b: 7 }] },
      { _id: 8, a: [{ b: [1, 3] }, { b: [2, 5] }] },
      { _id: 9, a: [{ b: [] }, { b: [1, 3] }] },
    ]);
    expect(await sortedIds(coll, { 'a.b': 1, _id: 1 })).toEqual([2, 9, 4, 5, 8, 1, 3, 7, 6]);
    expect(await sortedIds(coll, { 'a.b': 1, _id: -1 })).toEqual([9, 2, 5, 4, 8, 3, 1, 7, 6]);
    expect(await sortedIds(coll, { 'a.b': -1, _id: 1 })).toEqual([7, 6, 8, 3, 9, 1, 4, 5, 2]);
    expect(await sortedIds(coll, { 'a.b': -1, _id: -1 })).toEqual([7, 8, 6, 9, 3, 1, 5, 4, 2]);
  });

  it('sort_array.js: ascending uses the smallest element, descending the largest (after a filter)', async () => {
    const coll = await seed('sortarr', [
      { _id: 0, a: [3, 0, 1] },
      { _id: 1, a: [8, 4, -1] },
    ]);
    expect(
      await coll
        .find({ a: { $gte: 2 } }, { projection: { _id: 1, a: 1 } })
        .sort({ a: 1 })
        .toArray(),
    ).toEqual([
      { _id: 1, a: [8, 4, -1] },
      { _id: 0, a: [3, 0, 1] },
    ]);
    const c2 = await seed('sortarr2', [
      { _id: 0, a: [3, 0, 1] },
      { _id: 1, a: [0, 4, -1] },
    ]);
    expect(
      await c2
        .find({ a: { $gte: 2 } }, { projection: { _id: 1, a: 1 } })
        .sort({ a: -1 })
        .toArray(),
    ).toEqual([
      { _id: 1, a: [0, 4, -1] },
      { _id: 0, a: [3, 0, 1] },
    ]);
  });

  it('sort_array.js: compound mixed-direction sort keys come from the arrays', async () => {
    const coll = await seed('sortarr3', [
      {
        _id: 0,
        x: [
          { y: [4, 0, 1], z: 7 },
          { y: 0, z: 9 },
        ],
      },
      {
        _id: 1,
        x: [
          { y: 1, z: 7 },
          { y: 0, z: [8, 6] },
        ],
      },
    ]);
    expect(await sortedIds(coll, { 'x.y': 1, 'x.z': -1 })).toEqual([0, 1]);
    expect(await sortedIds(coll, { 'x.y': -1, 'x.z': 1 })).toEqual([0, 1]);
  });

  it('sort_array.js: sort by "d.e.g" inside arrays, same through find and aggregate', async () => {
    const coll = await seed('sortarr4', [
      { _id: 0, a: 1, b: { c: 1 }, d: [{ e: { f: 1, g: [6, 5, 4] } }, { e: { g: [3, 2, 1] } }] },
      { _id: 1, a: 2, b: { c: 2 }, d: [{ e: { f: 2, g: [5, 4, 3] } }, { e: { g: [2, 1, 0] } }] },
    ]);
    expect(await sortedIds(coll, { 'd.e.g': 1 })).toEqual([1, 0]);
    const agg = await coll
      .aggregate([{ $match: {} }, { $sort: { 'd.e.g': 1 } }, { $project: { _id: 1 } }])
      .toArray();
    expect(agg).toEqual([{ _id: 1 }, { _id: 0 }]);
  });
});
