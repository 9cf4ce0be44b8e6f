/**
 * Update, upsert and findAndModify expectations ported from MongoDB's jstests (mongodb/mongo,
 * jstests/core/write/update/*.js, jstests/core/query/{push,pull,unset}/*.js,
 * jstests/core/write/find_and_modify/*.js). Where a jstest compares with the shell's assert.eq
 * (which compares tojson output, so field order counts) the test checks field order too.
 */
import { MongoServerError, type Collection, type Document } from 'mongodb';
import { rejectionOf, startHarness, stopHarness, type Doc, type Harness } from './harness';

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

/** Order-sensitive rendering, like the shell's tojson comparison in assert.eq. */
function ordered(value: unknown): string {
  return JSON.stringify(value);
}

/** Runs an update through the raw command and returns the reply (write errors included). */
async function update(
  coll: Collection<Doc>,
  q: Document,
  u: Document | Document[],
  options: Document = {},
): Promise<Document> {
  return coll.db.command({ update: coll.collectionName, updates: [{ q, u, ...options }] });
}

/** The code of the single write error of an update reply, or undefined when it succeeded. */
function writeErrorCode(reply: Document): number | undefined {
  const errors = reply.writeErrors as { code: number }[] | undefined;
  return errors?.[0]?.code;
}

async function failsWith(
  coll: Collection<Doc>,
  q: Document,
  u: Document,
  options: Document = {},
): Promise<number | undefined> {
  const reply = await update(coll, q, u, options);
  const code = writeErrorCode(reply);
  expect(code).toBeDefined();
  return code;
}

describe('dotted and numeric paths (updatea.js, updatek.js, updatee.js, update6.js, unset2.js)', () => {
  it('updatea.js: $set/$unset through array indexes, $inc + $push on "comments.0.*"', async () => {
    const coll = await seed('updatea', [
      {
        _id: 1,
        a: [
          { x: 1, y: 2 },
          { x: 10, y: 11 },
        ],
      },
    ]);
    await coll.updateOne({}, { $set: { 'a.0.x': 3 } });
    expect(ordered(await coll.findOne())).toBe(
      ordered({
        _id: 1,
        a: [
          { x: 3, y: 2 },
          { x: 10, y: 11 },
        ],
      }),
    );
    await coll.updateOne({}, { $set: { 'a.1.z': 17 } });
    expect(ordered(await coll.findOne())).toBe(
      ordered({
        _id: 1,
        a: [
          { x: 3, y: 2 },
          { x: 10, y: 11, z: 17 },
        ],
      }),
    );
    await coll.updateOne({}, { $unset: { 'a.1.y': 1 } });
    expect(ordered(await coll.findOne())).toBe(
      ordered({
        _id: 1,
        a: [
          { x: 3, y: 2 },
          { x: 10, z: 17 },
        ],
      }),
    );

    const c2 = await seed('updatea2', [
      { _id: 1, comments: [{ name: 'blah', rate_up: 0, rate_ups: [] }] },
    ]);
    await c2.updateOne({}, {
      $inc: { 'comments.0.rate_up': 1 },
      $push: { 'comments.0.rate_ups': 99 },
    } as Document);
    expect(await c2.findOne()).toEqual({
      _id: 1,
      comments: [{ name: 'blah', rate_up: 1, rate_ups: [99] }],
    });
  });

  it('updatea.js: $inc "a.0" / "a.10" in an array of 12 numbers; $inc "a.c000" beside "c00"', async () => {
    const coll = await seed('updatea3', [{ _id: 1, a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }]);
    await coll.updateOne({}, { $inc: { 'a.0': 1 } });
    await coll.updateOne({}, { $inc: { 'a.10': 1 } });
    expect((await coll.findOne())?.a).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 11]);

    const c2 = await seed('updatea4', [{ _id: 1, a: { c00: 1 }, c: 2 }]);
    await c2.updateOne({ c: 2 }, { $inc: { 'a.c000': 1 } });
    expect(ordered((await c2.findOne())?.a)).toBe(ordered({ c00: 1, c000: 1 }));
  });

  it('updatek.js: "1" and "01" are different field names of an object', async () => {
    const coll = await seed('updatek', [{ _id: 0, '1': {}, '01': {} }]);
    await coll.updateOne({}, { $set: { '1.b': 1, '1.c': 2 } });
    expect(await coll.findOne()).toEqual({ _id: 0, '1': { b: 1, c: 2 }, '01': {} });
    const c2 = await seed('updatek2', [{ _id: 0, '1': {}, '01': {} }]);
    await c2.updateOne({}, { $set: { '1.b': 1, '01.c': 2 } });
    expect(await c2.findOne()).toEqual({ _id: 0, '1': { b: 1 }, '01': { c: 2 } });
  });

  it('updatee.js: numeric-looking field names inside an object are plain names', async () => {
    const coll = await seed('updatee', [
      {
        _id: 1,
        actual: {
          key1: 'val1',
          key2: 'val2',
          '001': 'val3',
          '002': 'val4',
          '0020000000000000000000': 'val5',
        },
        'profile-id': 'test',
      },
    ]);
    await coll.updateOne(
      { 'profile-id': 'test' },
      { $set: { 'actual.0030000000000000000000': 'val6' } },
    );
    await coll.updateOne({ 'profile-id': 'test' }, { $set: { 'actual.02': 'v4' } });
    await coll.updateOne({ _id: 1 }, { $set: { 'actual.2139043290148390248219423941.b': 4 } });
    await coll.updateOne({ _id: 1 }, { $set: { 'actual.000': 'val000' } });
    await coll.updateOne({ _id: 1 }, { $set: { 'actual.00': 'val00' } });
    const actual = (await coll.findOne())?.actual as Document;
    expect(actual['0020000000000000000000']).toBe('val5');
    expect(actual['0030000000000000000000']).toBe('val6');
    expect(actual['02']).toBe('v4');
    expect(actual['002']).toBe('val4');
    expect(actual['2139043290148390248219423941']).toEqual({ b: 4 });
    expect(actual['000']).toBe('val000');
    expect(actual['00']).toBe('val00');
  });

  it('update6.js: $inc of "b.c" keeps field order; $inc of "b.0e" adds a field', async () => {
    const coll = await seed('update6', [{ _id: 1, a: 1, b: { c: 1, d: 1 } }]);
    await coll.updateOne({ a: 1 }, { $inc: { 'b.c': 1 } });
    const b = (await coll.findOne())?.b as Document;
    expect(b.c).toBe(2);
    expect(Object.keys(b)).toEqual(['c', 'd']);
    await coll.updateOne({ a: 1 }, { $inc: { 'b.0e': 1 } });
    expect((await coll.findOne())?.b).toEqual({ c: 2, d: 1, '0e': 1 });
  });

  it('unset2.js: $unset of array elements leaves null; past the end is a no-op; combined with $set', async () => {
    const coll = await seed('unset2', [{ _id: 1, a: ['a', 'b', 'c', 'd'] }]);
    await coll.updateOne({}, { $unset: { 'a.3': 1 } });
    expect((await coll.findOne())?.a).toEqual(['a', 'b', 'c', null]);
    await coll.updateOne({}, { $unset: { 'a.1': 1 } });
    expect((await coll.findOne())?.a).toEqual(['a', null, 'c', null]);
    await coll.updateOne({}, { $unset: { 'a.0': 1 } });
    expect((await coll.findOne())?.a).toEqual([null, null, 'c', null]);
    await coll.updateOne({}, { $unset: { 'a.4': 1 } });
    expect((await coll.findOne())?.a).toEqual([null, null, 'c', null]);

    const c2 = await seed('unset2b', [{ _id: 1, a: ['a', 'b', 'c', 'd', 'e'] }]);
    await c2.updateOne({}, { $unset: { 'a.2': 1 }, $set: { 'a.3': 3, 'a.4': 4, 'a.5': 5 } });
    expect((await c2.findOne())?.a).toEqual(['a', 'b', null, 3, 4, 5]);

    const c3 = await seed('unset2c', [{ _id: 1, a: ['a', 'b', 'c', 'd', 'e'] }]);
    await failsWith(c3, {}, { $unset: { 'a.2': 1 }, $set: { 'a.2': 4 } });
    expect((await c3.findOne())?.a).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('positional $ (update_arraymatch*.js, update_array_offset_positional.js)', () => {
  it('update_arraymatch1.js: $inc "a.$.y" on the element matched by "a.x"', async () => {
    const coll = await seed('am1', [
      {
        _id: 1,
        a: [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
          { x: 3, y: 3 },
        ],
      },
    ]);
    await coll.updateOne({ 'a.x': 2 }, { $set: { b: 5 } });
    await coll.updateOne({ 'a.x': 2 }, { $inc: { 'a.$.y': 1 } });
    expect(ordered(await coll.findOne())).toBe(
      ordered({
        _id: 1,
        a: [
          { x: 1, y: 1 },
          { x: 2, y: 3 },
          { x: 3, y: 3 },
        ],
        b: 5,
      }),
    );
  });

  it('update_arraymatch2.js: multi updates with "x.$", "x.y.$" and "y.$" from a match on x', async () => {
    const coll = await seed('am2', [{ _id: 1 }, { _id: 2, x: [1, 2, 3] }, { _id: 3, x: 99 }]);
    await coll.updateMany({ x: 2 }, { $inc: { 'x.$': 1 } });
    expect((await coll.findOne({ _id: 2 }))?.x).toEqual([1, 3, 3]);
    await coll.insertOne({ _id: 4, x: { y: [8, 7, 6] } });
    await coll.updateMany({ 'x.y': 7 }, { $inc: { 'x.y.$': 1 } });
    expect((await coll.findOne({ _id: 4 }))?.x).toEqual({ y: [8, 8, 6] });
    await coll.insertOne({ _id: 5, x: [90, 91, 92], y: ['a', 'b', 'c'] });
    await coll.updateMany({ x: 92 }, { $set: { 'y.$': 'z' } });
    expect((await coll.findOne({ _id: 5 }))?.y).toEqual(['a', 'b', 'z']);
  });

  it('update_arraymatch6.js / update_arraymatch8.js: "a.$.x", "array.$" and "array.0" replacements', async () => {
    const coll = await seed('am6', [
      {
        _id: 1,
        a: [
          { id: 1, x: [5, 6, 7] },
          { id: 2, x: [8, 9, 10] },
        ],
      },
    ]);
    await coll.updateOne({ 'a.id': 1 }, { $set: { 'a.$.x': [1, 1, 1] } });
    expect((await coll.findOne())?.a).toEqual([
      { id: 1, x: [1, 1, 1] },
      { id: 2, x: [8, 9, 10] },
    ]);
    const c2 = await seed('am8', [{ _id: 1, array: [{ name: 'old' }] }]);
    await c2.updateOne({ 'array.name': 'old' }, { $set: { 'array.$': { name: 'new' } } });
    expect(await c2.findOne()).toEqual({ _id: 1, array: [{ name: 'new' }] });
    await c2.updateOne({ 'array.name': 'new' }, { $set: { 'array.0.name': 'newer' } });
    expect(await c2.findOne()).toEqual({ _id: 1, array: [{ name: 'newer' }] });
    const c3 = await seed('am8b', [{ _id: 1, a: [[{ b: 'old' }]] }]);
    await c3.updateOne({}, { $set: { 'a.0.0.b': 'new' } });
    expect(await c3.findOne({ 'a.0.b': 'new' })).not.toBeNull();
  });

  it('update_array_offset_positional.js: "$" needs an implicit array traversal in the query', async () => {
    for (const [doc, q, u] of [
      [{ a: [0] }, { 'a.0': 0 }, { 'a.$': 1 }],
      [{ a: [{ b: 0 }] }, { 'a.0.b': 0 }, { 'a.$.b': 1 }],
      [{ a: [[0]] }, { 'a.0.0': 0 }, { 'a.$.0': 1 }],
    ] as Document[][]) {
      const coll = await seed('offpos', [{ _id: 0, ...doc }]);
      await failsWith(coll, { _id: 0, ...q }, { $set: u });
    }
  });

  it('update_array_offset_positional.js: array offsets in the query do not feed "$"', async () => {
    const c1 = await seed('offpos2', [{ _id: 0, a: [{ b: [0, 1] }] }]);
    await c1.updateOne({ _id: 0, 'a.0.b': 1 }, { $set: { 'a.0.b.$': 2 } });
    expect(await c1.findOne()).toEqual({ _id: 0, a: [{ b: [0, 2] }] });
    const c2 = await seed('offpos3', [{ _id: 0, a: [{ b: [0, 1] }] }]);
    await c2.updateOne({ _id: 0, 'a.b.1': 1 }, { $set: { 'a.$.b.1': 2 } });
    expect(await c2.findOne()).toEqual({ _id: 0, a: [{ b: [0, 2] }] });
    const c3 = await seed('offpos4', [{ _id: 0, a: [0, 1], b: [{ c: 0 }] }]);
    await c3.updateOne({ _id: 0, a: 1, 'b.0.c': 0 }, { $set: { 'a.$': 2 } });
    expect(await c3.findOne()).toEqual({ _id: 0, a: [0, 2], b: [{ c: 0 }] });
  });
});

describe('arrayFilters and $[] (update_arrayFilters.js)', () => {
  async function applied(doc: Doc, u: Document, arrayFilters?: Document[]): Promise<unknown> {
    const coll = await seed('af', [{ _id: 0, ...doc }]);
    const reply = await update(coll, { _id: 0 }, u, arrayFilters ? { arrayFilters } : {});
    expect(writeErrorCode(reply)).toBeUndefined();
    return coll.findOne({ _id: 0 });
  }

  it('$set and $unset with $[i] and $[] on scalars ($unset leaves null)', async () => {
    expect(await applied({ a: [0, 1, 0, 1] }, { $set: { 'a.$[i]': 2 } }, [{ i: 0 }])).toEqual({
      _id: 0,
      a: [2, 1, 2, 1],
    });
    expect(await applied({ a: [2, 1, 2, 1] }, { $set: { 'a.$[]': 3 } })).toEqual({
      _id: 0,
      a: [3, 3, 3, 3],
    });
    expect(await applied({ a: [0, 1, 0, 1] }, { $unset: { 'a.$[i]': true } }, [{ i: 0 }])).toEqual({
      _id: 0,
      a: [null, 1, null, 1],
    });
    expect(await applied({ a: [null, 1, null, 1] }, { $unset: { 'a.$[]': true } })).toEqual({
      _id: 0,
      a: [null, null, null, null],
    });
  });

  it('$inc, $mul, $min and $max through $[i] and $[]', async () => {
    expect(await applied({ a: [0, 1, 0, 1] }, { $inc: { 'a.$[i]': 1 } }, [{ i: 1 }])).toEqual({
      _id: 0,
      a: [0, 2, 0, 2],
    });
    expect(await applied({ a: [0, 1, 0, 1] }, { $inc: { 'a.$[]': 1 } })).toEqual({
      _id: 0,
      a: [1, 2, 1, 2],
    });
    expect(await applied({ a: [0, 2, 0, 2] }, { $mul: { 'a.$[i]': 3 } }, [{ i: 2 }])).toEqual({
      _id: 0,
      a: [0, 6, 0, 6],
    });
    const mins = [
      { b: 0, c: 1 },
      { b: 0, c: -1 },
      { b: 1, c: 1 },
    ];
    expect(await applied({ a: mins }, { $min: { 'a.$[i].c': 0 } }, [{ 'i.b': 0 }])).toEqual({
      _id: 0,
      a: [
        { b: 0, c: 0 },
        { b: 0, c: -1 },
        { b: 1, c: 1 },
      ],
    });
    expect(await applied({ a: mins }, { $min: { 'a.$[].c': 0 } })).toEqual({
      _id: 0,
      a: [
        { b: 0, c: 0 },
        { b: 0, c: -1 },
        { b: 1, c: 0 },
      ],
    });
    const maxs = [
      { b: 0, c: 1 },
      { b: 0, c: -1 },
      { b: 1, c: -1 },
    ];
    expect(await applied({ a: maxs }, { $max: { 'a.$[i].c': 0 } }, [{ 'i.b': 0 }])).toEqual({
      _id: 0,
      a: [
        { b: 0, c: 1 },
        { b: 0, c: 0 },
        { b: 1, c: -1 },
      ],
    });
  });

  it('array operators on nested arrays: $addToSet, $pop, $pullAll, $pull, $push via $[i] / $[]', async () => {
    expect(await applied({ a: [[0], [1]] }, { $addToSet: { 'a.$[i]': 2 } }, [{ i: 0 }])).toEqual({
      _id: 0,
      a: [[0, 2], [1]],
    });
    expect(await applied({ a: [[0], [1]] }, { $addToSet: { 'a.$[]': 2 } })).toEqual({
      _id: 0,
      a: [
        [0, 2],
        [1, 2],
      ],
    });
    expect(
      await applied(
        {
          a: [
            [0, 1],
            [1, 2],
          ],
        },
        { $pop: { 'a.$[i]': 1 } },
        [{ i: 0 }],
      ),
    ).toEqual({ _id: 0, a: [[0], [1, 2]] });
    expect(
      await applied(
        {
          a: [
            [0, 1, 2, 3],
            [1, 2, 3, 4],
          ],
        },
        { $pullAll: { 'a.$[]': [0, 2] } },
      ),
    ).toEqual({
      _id: 0,
      a: [
        [1, 3],
        [1, 3, 4],
      ],
    });
    expect(
      await applied(
        {
          a: [
            [0, 1],
            [1, 2],
          ],
        },
        { $pull: { 'a.$[i]': 1 } },
        [{ i: 2 }],
      ),
    ).toEqual({ _id: 0, a: [[0, 1], [2]] });
    expect(
      await applied(
        {
          a: [
            [0, 1],
            [2, 3],
          ],
        },
        { $push: { 'a.$[]': 4 } },
      ),
    ).toEqual({
      _id: 0,
      a: [
        [0, 1, 4],
        [2, 3, 4],
      ],
    });
  });

  it('$rename refuses dynamic paths (2) and an unused array filter (9); plain $rename still works', async () => {
    const coll = await seed('afrename', [{ _id: 0, a: [0], b: [1] }]);
    expect(
      await failsWith(
        coll,
        { _id: 0 },
        { $rename: { 'a.$[i]': 'b' } },
        { arrayFilters: [{ i: 0 }] },
      ),
    ).toBe(2);
    expect(await failsWith(coll, { _id: 0 }, { $rename: { 'a.$[]': 'b' } })).toBe(2);
    expect(await failsWith(coll, { _id: 0 }, { $rename: { a: 'b.$[]' } })).toBe(2);
    expect(
      await failsWith(coll, { _id: 0 }, { $rename: { a: 'b' } }, { arrayFilters: [{ i: 0 }] }),
    ).toBe(9);
    await coll.updateOne({ _id: 0 }, { $rename: { a: 'b' } });
    expect(ordered(await coll.findOne())).toBe(ordered({ _id: 0, b: [0] }));
  });

  it('$setOnInsert with $[i] / $[] on an upsert seeded from the query', async () => {
    const coll = await seed('afsoi', []);
    await update(
      coll,
      { _id: 0, a: [0] },
      { $setOnInsert: { 'a.$[i]': 1 } },
      { arrayFilters: [{ i: 0 }], upsert: true },
    );
    expect(await coll.findOne({ _id: 0 })).toEqual({ _id: 0, a: [1] });
    const c2 = await seed('afsoi2', []);
    await update(c2, { _id: 0, a: [0] }, { $setOnInsert: { 'a.$[]': 1 } }, { upsert: true });
    expect(await c2.findOne({ _id: 0 })).toEqual({ _id: 0, a: [1] });
  });

  it('multi updates with $[i] and $[]', async () => {
    const coll = await seed('afmulti', [
      { _id: 0, a: [0, 1, 0, 1] },
      { _id: 1, a: [0, 2, 0, 2] },
    ]);
    await coll.updateMany({}, { $set: { 'a.$[i]': 3 } }, { arrayFilters: [{ i: 0 }] });
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 0, a: [3, 1, 3, 1] },
      { _id: 1, a: [3, 2, 3, 2] },
    ]);
  });

  it('documented examples: $[].b, $[i].b, $[].$[j], nested $[i].c.$[j].d, $or filter', async () => {
    expect(await applied({ a: [{ b: 0 }, { b: 1 }] }, { $set: { 'a.$[].b': 2 } })).toEqual({
      _id: 0,
      a: [{ b: 2 }, { b: 2 }],
    });
    expect(
      await applied({ a: [{ b: 0 }, { b: 1 }] }, { $set: { 'a.$[i].b': 2 } }, [{ 'i.b': 0 }]),
    ).toEqual({ _id: 0, a: [{ b: 2 }, { b: 1 }] });
    expect(
      await applied(
        {
          a: [
            [0, 1],
            [0, 1],
          ],
        },
        { $set: { 'a.$[].$[j]': 2 } },
        [{ j: 0 }],
      ),
    ).toEqual({
      _id: 0,
      a: [
        [2, 1],
        [2, 1],
      ],
    });
    expect(
      await applied(
        {
          a: [
            { b: 0, c: [{ d: 0 }, { d: 1 }] },
            { b: 1, c: [{ d: 0 }, { d: 1 }] },
          ],
        },
        { $set: { 'a.$[i].c.$[j].d': 2 } },
        [{ 'i.b': 0 }, { 'j.d': 0 }],
      ),
    ).toEqual({
      _id: 0,
      a: [
        { b: 0, c: [{ d: 2 }, { d: 1 }] },
        { b: 1, c: [{ d: 0 }, { d: 1 }] },
      ],
    });
    expect(
      await applied({ a: [0, 1, 3] }, { $set: { 'a.$[i]': 2 } }, [{ $or: [{ i: 0 }, { i: 3 }] }]),
    ).toEqual({ _id: 0, a: [2, 1, 2] });
  });

  it('arrayFilters parse errors: a filter with two top-level names and an unused filter fail with 9', async () => {
    const coll = await seed('aferr', [{ _id: 0, a: [0] }]);
    expect(
      await failsWith(
        coll,
        { _id: 0 },
        { $set: { 'a.$[i]': 5 } },
        { arrayFilters: [{ i: 0, j: 0 }] },
      ),
    ).toBe(9);
    expect(
      await failsWith(
        coll,
        { _id: 0 },
        { $set: { 'a.$[i]': 5, 'a.$[j]': 6 } },
        { arrayFilters: [{ i: 0 }, { j: 0 }, { i: 1 }] },
      ),
    ).toBe(9);
    expect(
      await failsWith(
        coll,
        { _id: 0 },
        { $set: { 'a.$[i]': 5 } },
        { arrayFilters: [{ i: 0 }, { j: 0 }] },
      ),
    ).toBe(9);
  });

  it('error codes: missing filter (2), $[i] beside "a.$"/"a.0"/"a.b" (40), implicit traversal (28), bad identifier (2)', async () => {
    const coll = await seed('aferr2', [{ _id: 0, a: [{ b: 0 }] }]);
    expect(await failsWith(coll, { _id: 0 }, { $set: { 'a.$[i]': 0 } })).toBe(2);
    const filters = { arrayFilters: [{ i: 0 }] };
    expect(await failsWith(coll, { _id: 0 }, { $set: { 'a.$[i]': 0, 'a.$': 0 } }, filters)).toBe(
      40,
    );
    expect(await failsWith(coll, { _id: 0 }, { $set: { 'a.$[i]': 0, 'a.0': 0 } }, filters)).toBe(
      40,
    );
    expect(await failsWith(coll, { _id: 0 }, { $set: { 'a.$[i]': 0, 'a.b': 0 } }, filters)).toBe(
      40,
    );
    expect(await failsWith(coll, { _id: 0 }, { $set: { 'a.b': 1 } })).toBe(28);
    expect(
      await failsWith(coll, { _id: 0 }, { $set: { 'a.$[I]': 1 } }, { arrayFilters: [{ I: 0 }] }),
    ).toBe(2);
  });

  it('nested conflict detection: same element via two identifiers fails with 40; disjoint ones succeed', async () => {
    const coll = await seed('afconf', [
      {
        _id: 0,
        a: [
          { x: 0, b: [{ y: 0, c: 0 }] },
          { x: 1, b: [{ y: 0, c: 0 }] },
        ],
      },
    ]);
    expect(
      await failsWith(
        coll,
        { _id: 0 },
        { $set: { 'a.$[i].b.$[k].c': 1, 'a.$[j].b.$[k].c': 2 } },
        { arrayFilters: [{ 'i.x': 0 }, { 'j.x': 0 }, { 'k.y': 0 }] },
      ),
    ).toBe(40);
    await coll.updateOne(
      { _id: 0 },
      { $set: { 'a.$[i].b.$[k].c': 1, 'a.$[j].b.$[k].c': 2 } },
      { arrayFilters: [{ 'i.x': 0 }, { 'j.x': 1 }, { 'k.y': 0 }] },
    );
    expect(await coll.findOne()).toEqual({
      _id: 0,
      a: [
        { x: 0, b: [{ y: 0, c: 1 }] },
        { x: 1, b: [{ y: 0, c: 2 }] },
      ],
    });
  });

  it('findOneAndUpdate accepts arrayFilters and returns null when nothing matches', async () => {
    const coll = await seed('affam', []);
    expect(
      await coll.findOneAndUpdate(
        { _id: 0 },
        { $set: { 'a.$[i]': 5 } },
        { arrayFilters: [{ i: 0 }] },
      ),
    ).toBeNull();
    const res = await coll.updateOne(
      { _id: 0 },
      { $set: { 'a.$[i]': 5 } },
      { arrayFilters: [{ i: 0 }] },
    );
    expect(res.modifiedCount).toBe(0);
  });
});

describe('array operators ($push, $addToSet, $pull, $pop)', () => {
  it('push_sort.js: $each with $slice and $sort over subdocuments and nested paths', async () => {
    const cases: [unknown, Document, unknown][] = [
      [
        [{ a: 1 }, { a: 2 }],
        { $each: [{ a: 3 }], $slice: -5, $sort: { a: 1 } },
        [{ a: 1 }, { a: 2 }, { a: 3 }],
      ],
      [
        [{ a: 1 }, { a: 3 }],
        { $each: [{ a: 2 }], $slice: -2, $sort: { a: 1 } },
        [{ a: 2 }, { a: 3 }],
      ],
      [
        [{ a: 1 }, { a: 3 }],
        { $each: [{ a: 2 }], $slice: -5, $sort: { a: -1 } },
        [{ a: 3 }, { a: 2 }, { a: 1 }],
      ],
      [
        [{ a: 1 }, { a: 3 }],
        { $each: [{ a: 2 }], $slice: -2, $sort: { a: -1 } },
        [{ a: 2 }, { a: 1 }],
      ],
      [
        [
          { a: 1, b: 2 },
          { a: 3, b: 1 },
        ],
        { $each: [{ a: 2, b: 3 }], $slice: -2, $sort: { b: 1 } },
        [
          { a: 1, b: 2 },
          { a: 2, b: 3 },
        ],
      ],
      [
        [{ a: { b: 2 } }, { a: { b: 1 } }],
        { $each: [{ a: { b: 3 } }], $slice: -2, $sort: { 'a.b': 1 } },
        [{ a: { b: 2 } }, { a: { b: 3 } }],
      ],
    ];
    for (const [x, push, expected] of cases) {
      const coll = await seed('pushsort', [{ _id: 1, x }]);
      await coll.updateOne({ _id: 1 }, { $push: { x: push } } as Document);
      expect([push, (await coll.findOne())?.x]).toEqual([push, expected]);
    }
  });

  it('push_sort.js: a {$sort: ...} without $each is pushed as a plain document', async () => {
    const coll = await seed('pushsort2', [{ _id: 8, x: [{ a: 1 }, { a: 2 }] }]);
    await coll.updateOne({ _id: 8 }, { $push: { x: { $sort: { a: -1 } } } } as Document);
    expect(await coll.findOne()).toEqual({ _id: 8, x: [{ a: 1 }, { a: 2 }, { $sort: { a: -1 } }] });
  });

  it('push_sort.js: invalid $sort / $slice / unknown modifiers fail with 2 (BadValue)', async () => {
    const coll = await seed('pushsort3', [{ _id: 100, x: [{ a: 1 }] }]);
    for (const push of [
      { $each: [{ a: 2 }], $slice: -2, $sort: {} },
      { $each: [{ a: 2 }], $slice: -2.1, $sort: { a: 1 } },
      { $each: [{ a: 2 }], $slice: -2, $sort: { a: -2 } },
      { $each: [{ a: 2 }], $slice: -2, $sort: { 'a.': 1 } },
      { $each: [{ a: 2 }], $slice: -2, $sort: { '': 1 } },
      { $each: [{ a: 2 }], $slice: -2, $xxx: { s: 1 } },
    ]) {
      expect([push, await failsWith(coll, { _id: 100 }, { $push: { x: push } })]).toEqual([
        push,
        2,
      ]);
    }
    // valid forms: non-document $each elements, positive $slice, $sort: 1 on values
    await coll.updateOne({ _id: 100 }, {
      $push: { x: { $each: [2], $slice: -2, $sort: { a: 1 } } },
    } as Document);
    await coll.updateOne({ _id: 100 }, {
      $push: { x: { $each: [{ a: 2 }], $slice: 2, $sort: { a: 1 } } },
    } as Document);
    await coll.updateOne({ _id: 100 }, {
      $push: { x: { $each: [{ a: 2 }], $slice: -2, $sort: 1 } },
    } as Document);
  });

  it('update_addToSet.js: $addToSet of present/absent values and $each with duplicates', async () => {
    const coll = await seed('ats', [{ _id: 1, a: [2, 1] }]);
    await coll.updateOne({}, { $addToSet: { a: 3 } });
    await coll.updateOne({}, { $addToSet: { a: 3 } });
    expect(await coll.findOne()).toEqual({ _id: 1, a: [2, 1, 3] });
    await coll.updateOne({}, { $addToSet: { a: { $each: [3, 5, 6] } } });
    expect(await coll.findOne()).toEqual({ _id: 1, a: [2, 1, 3, 5, 6] });

    const c2 = await seed('ats2', [{ _id: 1 }]);
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [1, 2, 2, 1] } } });
    expect(await c2.findOne()).toEqual({ _id: 1, a: [1, 2] });
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [3, 2, 2, 3, 3] } } });
    expect(await c2.findOne()).toEqual({ _id: 1, a: [1, 2, 3] });
  });

  it('update_addToSet.js: upserts with $addToSet create the array', async () => {
    const coll = await seed('ats3', []);
    await coll.updateOne({ _id: 2 }, { $addToSet: { a: 3 } }, { upsert: true });
    expect(await coll.find().toArray()).toEqual([{ _id: 2, a: [3] }]);
    const c2 = await seed('ats4', []);
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [1, 2, 1, 2] } } }, { upsert: true });
    expect(await c2.findOne()).toEqual({ _id: 1, a: [1, 2] });
  });

  it('update_addToSet.js: documents with dotted or $-prefixed field names and nested _id are accepted', async () => {
    const coll = await seed('ats5', [{ _id: 1, a: [1, 2] }]);
    for (const value of [
      { 'x.$.y': 'bad' },
      { b: { 'x.$.y': 'bad' } },
      { $bad: 'bad' },
      { b: { $bad: 'bad' } },
      { _id: { 'x.y': 2 } },
      { $each: [{ 'x.$.y': 'bad' }] },
    ]) {
      const reply = await update(coll, {}, { $addToSet: { a: value } });
      expect([value, writeErrorCode(reply)]).toEqual([value, undefined]);
    }
  });

  it('update_addToSet2.js / update_addToSet3.js: documents are compared whole; $each order kept; non-array $each fails', async () => {
    const coll = await seed('ats6', [{ _id: 1 }]);
    await coll.updateOne({}, { $addToSet: { kids: { name: 'Bob', age: '4' } } });
    await coll.updateOne({}, { $addToSet: { kids: { name: 'Dan', age: '2' } } });
    await coll.updateOne({}, { $addToSet: { kids: { name: 'Bob', age: '4' } } });
    expect((await coll.findOne())?.kids).toEqual([
      { name: 'Bob', age: '4' },
      { name: 'Dan', age: '2' },
    ]);

    const c2 = await seed('ats7', [{ _id: 1 }]);
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [6, 5, 4] } } });
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [3, 2, 1] } } });
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [4, 7, 9, 2] } } });
    await c2.updateOne({ _id: 1 }, { $addToSet: { a: { $each: [12, 13, 12] } } });
    expect(await c2.findOne()).toEqual({ _id: 1, a: [6, 5, 4, 3, 2, 1, 7, 9, 12, 13] });
    await failsWith(c2, { _id: 1 }, { $addToSet: { a: { $each: 0 } } });
    await failsWith(c2, { _id: 1 }, { $addToSet: { a: { $each: { a: 1 } } } });
  });

  it('pull2.js: $pull by a document matches subsets, $pullAll needs exact documents, $pull with $lt', async () => {
    const coll = await seed('pull2', [{ _id: 1, a: [{ x: 1 }, { x: 1, b: 2 }] }]);
    await coll.updateOne({}, { $pull: { a: { x: 1 } } } as Document);
    expect((await coll.findOne())?.a).toEqual([]);
    await coll.updateOne({}, { $push: { a: { x: 1 } } } as Document);
    await coll.updateOne({}, { $push: { a: { x: 1, b: 2 } } } as Document);
    await coll.updateOne({}, { $pullAll: { a: [{ x: 1 }] } } as Document);
    expect((await coll.findOne())?.a).toEqual([{ x: 1, b: 2 }]);
    for (const x of [2, 3, 4]) await coll.updateOne({}, { $push: { a: { x, b: 2 } } } as Document);
    await coll.updateOne({}, { $pull: { a: { x: { $lt: 3 } } } } as Document);
    expect(((await coll.findOne())?.a as Document[]).map((z) => z.x as number)).toEqual([3, 4]);
  });

  it('update_modifier_pop.js: invalid $pop arguments fail with 9 (FailedToParse)', async () => {
    const coll = await seed('pop', [{ _id: 0 }]);
    for (const value of [0, -2, 2.5, 1.1]) {
      expect([value, await failsWith(coll, { _id: 0 }, { $pop: { 'a.b': value } })]).toEqual([
        value,
        9,
      ]);
    }
    expect(await failsWith(coll, { _id: 0 }, { $pop: { a: { b: 1 } } })).toBe(9);
  });

  it('update_modifier_pop.js: $pop on missing paths and empty arrays is a no-op (nModified 0)', async () => {
    for (const doc of [{}, { a: { c: 1 } }, { a: { b: [] } }]) {
      const coll = await seed('pop2', [{ _id: 0, ...doc }]);
      const res = await coll.updateOne({ _id: 0 }, { $pop: { 'a.b': 1 } });
      expect([doc, res.matchedCount, res.modifiedCount]).toEqual([doc, 1, 0]);
    }
    const coll = await seed('pop3', [{ _id: 0, a: [{ b: 0 }, { b: 1 }] }]);
    const res = await coll.updateOne({ _id: 0 }, { $pop: { 'a.2.b': 1 } });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 0]);
  });

  it('update_modifier_pop.js: $pop through a scalar, an array or onto a non-array fails', async () => {
    for (const [doc, path] of [
      [{ a: { b: 1 } }, 'a.b.c'],
      [{ a: { b: [1, 2] } }, 'a.b.c'],
      [{ a: { b: { c: 1 } } }, 'a.b'],
    ] as [Doc, string][]) {
      const coll = await seed('pop4', [{ _id: 0, ...doc }]);
      await failsWith(coll, { _id: 0 }, { $pop: { [path]: 1 } });
    }
  });

  it('update_modifier_pop.js: $pop from either end, with "$", with arrayFilters and from "a.1"', async () => {
    const coll = await seed('pop5', [{ _id: 0, a: { b: [1, 2, 3] } }]);
    await coll.updateOne({ _id: 0 }, { $pop: { 'a.b': 1 } });
    expect(await coll.findOne()).toEqual({ _id: 0, a: { b: [1, 2] } });
    await coll.updateOne({ _id: 0 }, { $pop: { 'a.b': -1 } });
    expect(await coll.findOne()).toEqual({ _id: 0, a: { b: [2] } });

    const c2 = await seed('pop6', [{ _id: 0, a: [{ b: [1, 2, 3] }, { b: [4, 5, 6] }] }]);
    await c2.updateOne({ _id: 0, 'a.b': 5 }, { $pop: { 'a.$.b': 1 } });
    expect(await c2.findOne()).toEqual({ _id: 0, a: [{ b: [1, 2, 3] }, { b: [4, 5] }] });

    const c3 = await seed('pop7', [{ _id: 0, a: [{ b: [1, 2] }, { b: [4, 5] }, { b: [2, 3] }] }]);
    await c3.updateOne({ _id: 0 }, { $pop: { 'a.$[i].b': -1 } }, { arrayFilters: [{ 'i.b': 2 }] });
    expect(await c3.findOne()).toEqual({ _id: 0, a: [{ b: [2] }, { b: [4, 5] }, { b: [3] }] });

    const c4 = await seed('pop8', [{ _id: 0, a: [1, [2, 3, 4]] }]);
    await c4.updateOne({ _id: 0 }, { $pop: { 'a.1': 1 } });
    expect(await c4.findOne()).toEqual({ _id: 0, a: [1, [2, 3]] });
  });
});

describe('upserts (upsert_fields.js, upsert_and.js, updateb.js, update_setOnInsert.js)', () => {
  /** Upserts into an empty collection and returns the inserted document (or the write error code). */
  async function upserted(q: Document, u: Document): Promise<Doc | number> {
    const coll = await seed('ups', []);
    const reply = await update(coll, q, u, { upsert: true });
    const code = writeErrorCode(reply);
    if (code !== undefined) return code;
    const doc = await coll.findOne();
    expect(doc).not.toBeNull();
    return doc as Doc;
  }
  async function upsertedField(q: Document, u: Document, field: string): Promise<unknown> {
    const doc = await upserted(q, u);
    expect(typeof doc).toBe('object');
    return (doc as Doc)[field];
  }
  const STYLES: [string, Document][] = [
    ['replacement', {}],
    ['$set', { $set: { a: 1 } }],
    ['$setOnInsert', { $setOnInsert: { a: 1 } }],
  ];

  it('_id is taken from equality, $eq, single-element $in/$all, and $and/$or of one clause', async () => {
    for (const [style, u] of STYLES) {
      for (const q of [
        { _id: 1 },
        { _id: { $eq: 1 } },
        { _id: { $all: [1] } },
        { _id: { $in: [1] } },
        { $and: [{ _id: 1 }] },
        { $and: [{ _id: { $eq: 1 } }] },
        { $or: [{ _id: 1 }] },
        { $or: [{ _id: { $eq: 1 } }] },
      ]) {
        expect([style, q, await upsertedField(q, u, '_id')]).toEqual([style, q, 1]);
      }
    }
  });

  it('_id is generated for ranges, $ne, multi-value $in, $elemMatch, $exists, $not, $or of two, $nor', async () => {
    for (const [style, u] of STYLES) {
      for (const q of [
        { _id: { $gt: 1 } },
        { _id: { $ne: 1 } },
        { _id: { $in: [1, 2] } },
        { _id: { $elemMatch: { $eq: 1 } } },
        { _id: { $exists: true } },
        { _id: { $not: { $eq: 1 } } },
        { $or: [{ _id: { $eq: 1 } }, { _id: 2 }] },
        { $nor: [{ _id: 1 }] },
      ]) {
        const id = await upsertedField(q, u, '_id');
        expect([style, q, id === 1, id === undefined || id === null]).toEqual([
          style,
          q,
          false,
          false,
        ]);
      }
    }
  });

  it('_id extraction errors: array _id, $all of two, conflicting $and, "_id" beside "_id.x"', async () => {
    for (const [style, u] of STYLES) {
      for (const q of [
        { _id: [1, 2] },
        { _id: { $eq: [1, 2] } },
        { _id: { $all: [1, 2] } },
        { $and: [{ _id: 1 }, { _id: 2 }] },
        { _id: 1, '_id.x': 1 },
        { _id: { x: 1 }, '_id.x': 1 },
      ]) {
        expect([style, q, typeof (await upserted(q, u))]).toEqual([style, q, 'number']);
      }
    }
  });

  it('nested "_id.x"/"_id.y" seed an _id document for operator updates, but fail for replacements', async () => {
    expect(typeof (await upserted({ '_id.x': 1, '_id.y': 2 }, {}))).toBe('number');
    expect(await upsertedField({ '_id.x': 1, '_id.y': 2 }, { $set: { a: 1 } }, '_id')).toEqual({
      x: 1,
      y: 2,
    });
    expect(
      await upsertedField({ '_id.x': 1, '_id.y': 2 }, { $setOnInsert: { a: 1 } }, '_id'),
    ).toEqual({ x: 1, y: 2 });
  });

  it('other fields are seeded only for operator-style updates, from equality-like predicates', async () => {
    for (const [style, u] of STYLES) {
      const expected = style === 'replacement' ? undefined : 1;
      for (const q of [
        { x: 1 },
        { x: { $eq: 1 } },
        { x: { $in: [1] } },
        { x: { $all: [1] } },
        { $and: [{ x: 1 }] },
        { $or: [{ x: { $eq: 1 } }] },
      ]) {
        expect([style, q, await upsertedField(q, u, 'x')]).toEqual([style, q, expected]);
      }
      expect(await upsertedField({ x: [1, 2] }, u, 'x')).toEqual(
        style === 'replacement' ? undefined : [1, 2],
      );
      expect(await upsertedField({ 'x.x': 1 }, u, 'x')).toEqual(
        style === 'replacement' ? undefined : { x: 1 },
      );
    }
  });

  it('fields are not seeded from $gt, $ne, multi-value $in, $elemMatch, $exists, $not, $or of two, $nor, regex', async () => {
    for (const [style, u] of STYLES) {
      for (const q of [
        { x: { $gt: 1 } },
        { x: { $ne: 1 } },
        { x: { $in: [1, 2] } },
        { x: { $elemMatch: { $eq: 1 } } },
        { x: { $exists: true } },
        { x: { $not: { $eq: 1 } } },
        { $or: [{ x: { $eq: 1 } }, { x: 2 }] },
        { $nor: [{ x: 1 }] },
      ]) {
        expect([style, q, await upsertedField(q, u, 'x')]).toEqual([style, q, undefined]);
      }
    }
    expect(await upsertedField({ x: /abc/ }, { $set: { a: 1 } }, 'x')).toBeUndefined();
  });

  it('operator-style upserts fail on conflicting seeds; replacements ignore them', async () => {
    const u = { $set: { a: 1 } };
    for (const q of [
      { x: { $all: [1, 2] } },
      { $and: [{ x: 1 }, { x: 2 }] },
      { x: 1, 'x.x': 1 },
      { x: {}, 'x.x': 1 },
      { x: { x: 1 }, 'x.x': 1 },
      { x: { x: 1 }, 'x.y': 1 },
    ]) {
      expect([q, typeof (await upserted(q, u))]).toEqual([q, 'number']);
    }
    expect(await upsertedField({ _id: 1, x: [1, { x: 1 }], 'x.x': 1 }, {}, '_id')).toBe(1);
  });

  it('upsert_and.js: $and clauses seed fields; $or of two does not', async () => {
    const docOf = (q: Document, u: Document) => upserted(q, u);
    expect(await docOf({ _id: 1, $and: [{ c: 1 }, { d: 1 }], a: 12 }, { $inc: { y: 1 } })).toEqual({
      _id: 1,
      c: 1,
      d: 1,
      a: 12,
      y: 1,
    });
    expect(await docOf({ $and: [{ c: 1 }, { d: 1 }] }, { $setOnInsert: { _id: 1 } })).toEqual({
      _id: 1,
      c: 1,
      d: 1,
    });
    expect(
      await docOf(
        { $and: [{ c: 1 }, { d: 1 }, { $or: [{ x: 1 }] }] },
        { $setOnInsert: { _id: 1 } },
      ),
    ).toEqual({ _id: 1, c: 1, d: 1, x: 1 });
    expect(
      await docOf(
        { r: { $gt: 3 }, $and: [{ c: 1 }, { d: 1 }], $or: [{ x: 1 }, { x: 2 }] },
        { $setOnInsert: { _id: 1 } },
      ),
    ).toEqual({ _id: 1, c: 1, d: 1 });
    expect(
      typeof (await docOf({ c: 2, $and: [{ c: 1 }, { d: 1 }] }, { $setOnInsert: { _id: 1 } })),
    ).toBe('number');
  });

  it('updateb.js: an upsert on {"x.y": 2} with $inc creates {a: 7, x: {y: 2}}', async () => {
    const doc = (await upserted({ 'x.y': 2 }, { $inc: { a: 7 } })) as Doc;
    delete doc._id;
    expect(doc).toEqual({ a: 7, x: { y: 2 } });
  });

  it('update_setOnInsert.js: $setOnInsert applies only on insert; nested _id paths fail', async () => {
    const coll = await seed('soi', []);
    await coll.updateOne({ _id: 5 }, { $inc: { x: 2 }, $setOnInsert: { a: 3 } }, { upsert: true });
    expect(await coll.findOne()).toEqual({ _id: 5, a: 3, x: 2 });
    await coll.updateOne({ _id: 5 }, { $set: { a: 4 } }, { upsert: true });
    await coll.updateOne({ _id: 5 }, { $inc: { x: 2 }, $setOnInsert: { a: 3 } }, { upsert: true });
    expect(await coll.findOne()).toEqual({ _id: 5, a: 4, x: 4 });

    expect(typeof (await upserted({ _id: 1 }, { $setOnInsert: { '_id.a': new Date() } }))).toBe(
      'number',
    );
    expect(typeof (await upserted({ '_id.a': 4 }, { $setOnInsert: { '_id.b': 1 } }))).toBe(
      'number',
    );
    expect(typeof (await upserted({ '_id.a': 4 }, { $setOnInsert: { _id: { a: 4, b: 1 } } }))).toBe(
      'number',
    );
  });

  it('upsert_fields.js: _id from the update wins; array or regex _id values are refused', async () => {
    expect(await upsertedField({}, { _id: 1 }, '_id')).toBe(1);
    expect(await upsertedField({}, { $set: { _id: 1 } }, '_id')).toBe(1);
    expect(await upsertedField({}, { $setOnInsert: { _id: 1 } }, '_id')).toBe(1);
    expect(typeof (await upserted({}, { _id: [1, 2] }))).toBe('number');
    expect(typeof (await upserted({}, { $set: { _id: [1, 2] } }))).toBe('number');
    expect(typeof (await upserted({}, { _id: /abc/ }))).toBe('number');
    expect(typeof (await upserted({}, { $set: { _id: /abc/ } }))).toBe('number');
  });
});

describe('multi updates (update7.js)', () => {
  it('a single update touches the first match only; multi touches all, including multikey matches', async () => {
    const coll = await seed('upd7', [
      { _id: 1, x: 1 },
      { _id: 2, x: 5 },
    ]);
    const xs = async () =>
      (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.x as number | undefined);
    await coll.updateOne({}, { $inc: { x: 1 } });
    expect(await xs()).toEqual([2, 5]);
    await coll.updateMany({}, { $inc: { x: 1 } });
    expect(await xs()).toEqual([3, 6]);
    await coll.updateMany({}, { $set: { x: 2 } });
    expect(await xs()).toEqual([2, 2]);

    const c2 = await seed('upd7b', [
      { _id: 1, x: 1, a: [1, 2] },
      { _id: 2, x: 5, a: [2, 3] },
    ]);
    const xs2 = async () => (await c2.find().sort({ _id: 1 }).toArray()).map((d) => d.x as number);
    await c2.updateMany({ a: 1 }, { $inc: { x: 1 } });
    expect(await xs2()).toEqual([2, 5]);
    await c2.updateMany({ a: 2 }, { $inc: { x: 1 } });
    expect(await xs2()).toEqual([3, 6]);
    await c2.updateMany({ a: { $gt: 0 } }, { $inc: { x: 1 } });
    expect(await xs2()).toEqual([4, 7]);
  });
});

describe('findAndModify (jstests/core/write/find_and_modify/*.js)', () => {
  async function famCommand(coll: Collection<Doc>, body: Document): Promise<Document> {
    return coll.db.command({ findAndModify: coll.collectionName, ...body });
  }

  it('find_and_modify.js: returns the old or new document, honouring sort, and removes by sort', async () => {
    const coll = await seed(
      'fam',
      Array.from({ length: 10 }, (_, i) => ({
        _id: i + 1,
        priority: i + 1,
        inprogress: false,
        value: 0,
      })),
    );
    let out = await coll.findOneAndUpdate(
      {},
      { $set: { inprogress: true }, $inc: { value: 1 } },
      { sort: { priority: 1 } },
    );
    expect([out?.value, out?.inprogress]).toEqual([0, false]);
    await coll.updateOne({ _id: out?._id }, { $set: { inprogress: false } });
    out = await coll.findOneAndUpdate(
      {},
      { $set: { inprogress: true }, $inc: { value: 1 } },
      { sort: { priority: 1 }, returnDocument: 'after' },
    );
    expect([out?.value, out?.inprogress]).toEqual([2, true]);
    await coll.updateOne({ _id: out?._id }, { $set: { inprogress: false } });
    out = await coll.findOneAndUpdate(
      { inprogress: false },
      { $set: { inprogress: true } },
      { sort: { priority: -1 } },
    );
    expect(out?.priority).toBe(10);
    out = await coll.findOneAndUpdate(
      { inprogress: false },
      { $set: { inprogress: true } },
      { sort: { priority: -1 } },
    );
    expect(out?.priority).toBe(9);
    expect((await coll.findOneAndDelete({}, { sort: { priority: 1 } }))?.priority).toBe(1);
    expect((await coll.findOneAndDelete({}, { sort: { priority: 1 } }))?.priority).toBe(2);
    expect(await coll.findOneAndDelete({ no_such_field: 1 })).toBeNull();
  });

  it('find_and_modify.js: conflicting remove/update/upsert/new parameters are refused', async () => {
    const coll = await seed('famerr', [{ _id: 1, x: 1 }]);
    for (const body of [
      { query: { x: 1 }, update: { y: 2 }, remove: true },
      { query: { x: 1 }, update: { y: 2 }, remove: true, sort: { x: 1 } },
      { query: { x: 1 }, update: { y: 2 }, remove: true, upsert: true },
      { query: { x: 1 }, update: { y: 2 }, new: true, remove: true },
      { query: { x: 1 }, upsert: true, remove: true },
    ]) {
      const error = await rejectionOf(famCommand(coll, body));
      expect([body, error instanceof MongoServerError]).toEqual([body, true]);
    }
    expect(await coll.find().toArray()).toEqual([{ _id: 1, x: 1 }]);
  });

  it('find_and_modify.js: an upsert reply has value null, or the new document with new: true', async () => {
    const coll = await seed('famups', []);
    const r1 = await famCommand(coll, {
      query: { _id: 'miss' },
      update: { $inc: { y: 1 } },
      upsert: true,
    });
    expect('value' in r1).toBe(true);
    expect(r1.value).toBeNull();
    const r2 = await famCommand(coll, {
      query: { _id: 'missagain' },
      update: { $inc: { y: 1 } },
      upsert: true,
      new: true,
    });
    expect((r2.value as Document)._id).toBe('missagain');
    expect(await coll.countDocuments()).toBe(2);
  });

  it('find_and_modify_empty_update.js: update {} replaces the document with just its _id', async () => {
    const coll = await seed('famempty', [{ _id: 0, a: 1 }]);
    expect(await famCommand(coll, { query: { a: 1 }, update: {} })).toMatchObject({
      value: { _id: 0, a: 1 },
    });
    expect(await coll.findOne({ _id: 0 })).toEqual({ _id: 0 });
    const c2 = await seed('famempty2', [{ _id: 0, a: 1 }]);
    expect((await famCommand(c2, { query: { a: 1 }, update: {}, new: true })).value).toEqual({
      _id: 0,
    });
    const c3 = await seed('famempty3', []);
    expect(
      (await famCommand(c3, { query: { _id: 0, a: 1 }, update: {}, upsert: true })).value,
    ).toBeNull();
    expect(await c3.findOne({ _id: 0 })).toEqual({ _id: 0 });
    const c4 = await seed('famempty4', []);
    expect(
      (
        await famCommand(c4, {
          query: { _id: 0, a: 1 },
          update: {},
          upsert: true,
          sort: { a: 1 },
          new: true,
        })
      ).value,
    ).toEqual({ _id: 0 });
  });

  it('find_and_modify_server6865.js: projections on remove and new: false apply to the old document', async () => {
    const B = [
      { name: 'first', value: 1 },
      { name: 'second', value: 2 },
      { name: 'third', value: 3 },
    ];
    const run = async (doc: Doc, body: Document) => {
      const coll = await seed('fam6865', [doc]);
      return (await famCommand(coll, body)).value as unknown;
    };
    expect(
      await run(
        { _id: 42, a: [1, 2], b: 3 },
        { query: { _id: 42 }, fields: { _id: 0, b: 1 }, remove: true },
      ),
    ).toEqual({ b: 3 });
    expect(
      await run(
        { _id: 42, a: [1, 2], b: 3, c: 4 },
        { query: { _id: 42 }, fields: { a: 0, b: 0 }, remove: true },
      ),
    ).toEqual({ _id: 42, c: 4 });
    expect(
      await run(
        { _id: 42, b: B },
        { query: { _id: 42 }, fields: { b: { $elemMatch: { value: 2 } } }, remove: true },
      ),
    ).toEqual({ _id: 42, b: [{ name: 'second', value: 2 }] });
    expect(
      await run({ _id: 42, a: [1, 2] }, { query: { a: 2 }, fields: { 'a.$': 1 }, remove: true }),
    ).toEqual({ _id: 42, a: [2] });
    expect(
      await run(
        { _id: 42, b: B },
        {
          query: { _id: 42, 'b.name': 'third' },
          fields: { 'b.$': 1 },
          update: { $set: { 'b.$.kind': 'xyz' } },
          new: false,
        },
      ),
    ).toEqual({ _id: 42, b: [{ name: 'third', value: 3 }] });
    expect(
      await run(
        {
          _id: 1,
          a: [
            { x: 1, y: 1 },
            { x: 1, y: 2 },
          ],
        },
        {
          query: { _id: 1 },
          fields: { a: { $elemMatch: { x: 1 } } },
          update: { $pop: { a: -1 } },
          new: false,
        },
      ),
    ).toEqual({ _id: 1, a: [{ x: 1, y: 1 }] });
  });

  it('find_and_modify_server6865.js: projections with new: true apply to the new document; "$" with new: true fails', async () => {
    const B = [
      { name: 'first', value: 1 },
      { name: 'second', value: 2 },
      { name: 'third', value: 3 },
    ];
    const run = async (doc: Doc, body: Document) => {
      const coll = await seed('fam6865b', [doc]);
      return (await famCommand(coll, body)).value as unknown;
    };
    expect(
      await run(
        { _id: 42, a: [1, 2], b: 3 },
        { query: { _id: 42 }, fields: { _id: 0, b: 1 }, update: { $inc: { b: 1 } }, new: true },
      ),
    ).toEqual({ b: 4 });
    expect(
      await run(
        { _id: 42, b: B },
        {
          query: { _id: 42 },
          fields: { b: { $elemMatch: { value: 2 } } },
          update: { $set: { 'b.1.name': '2nd' } },
          new: true,
        },
      ),
    ).toEqual({ _id: 42, b: [{ name: '2nd', value: 2 }] });
    expect(
      await run(
        {
          _id: 1,
          a: [
            { x: 1, y: 1 },
            { x: 1, y: 2 },
          ],
        },
        {
          query: { _id: 1 },
          fields: { a: { $elemMatch: { x: 1 } } },
          update: { $pop: { a: -1 } },
          new: true,
        },
      ),
    ).toEqual({ _id: 1, a: [{ x: 1, y: 2 }] });
    const coll = await seed('fam6865c', [{ _id: 42, a: [1, 2] }]);
    const error = await rejectionOf(
      famCommand(coll, {
        query: { a: 2 },
        fields: { 'a.$': 1 },
        update: { $set: { 'b.kind': 'xyz' } },
        new: true,
      }),
    );
    expect(error).toBeInstanceOf(MongoServerError);
  });

  it('find_and_modify.js: an invalid projection fails with 31325 whether or not a document matches', async () => {
    for (const [match, upsert, isNew] of [
      [false, true, true],
      [true, true, true],
      [true, false, true],
      [true, true, false],
      [true, false, false],
    ]) {
      const coll = await seed('famproj', match ? [{ _id: 'found' }] : []);
      const error = await rejectionOf(
        famCommand(coll, {
          query: { _id: match ? 'found' : 'miss' },
          update: { $inc: { y: 1 } },
          fields: { foo: { $pop: ['bar'] } },
          upsert,
          new: isNew,
        }),
      );
      expect([match, upsert, isNew, (error as MongoServerError).code]).toEqual([
        match,
        upsert,
        isNew,
        31325,
      ]);
    }
  });
});
