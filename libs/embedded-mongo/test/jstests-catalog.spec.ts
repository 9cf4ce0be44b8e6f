/**
 * Catalog command expectations (create, drop, renameCollection, createIndexes, dropIndexes),
 * ported from MongoDB's jstests (mongodb/mongo, jstests/core/ddl/*.js) and the manual's command
 * reference. Raw commands go through `db.command` so reply fields and error codes are checked.
 * Each test names its source.
 */
import { MongoServerError, type Db, type Document } from 'mongodb';
import {
  createIndex,
  startHarness,
  stopHarness,
  type Harness,
  runCommand as run,
  serverErrorOf as errorOf,
  serverCodeOf as codeOf,
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

async function indexNamesOf(db: Db, name: string): Promise<string[]> {
  const res = await run(db, { listIndexes: name });
  return (res.cursor.firstBatch as Document[]).map((s) => String(s.name)).sort();
}

async function collectionNames(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
}

describe('create (ddl/create_collection.js)', () => {
  it('an unknown option fails with 40415 (IDLUnknownField)', async () => {
    const db = h.freshDb('cc');
    expect(await codeOf(run(db, { create: 'create_collection', unknown: 1 }))).toBe(40415);
  });

  it('a name containing a NUL character fails with 73 (InvalidNamespace)', async () => {
    const db = h.freshDb('cc');
    for (const name of ['\0ab', 'a\0b', 'ab\0']) {
      const code = await codeOf(run(db, { create: name }));
      expect([JSON.stringify(name), code]).toEqual([JSON.stringify(name), 73]);
    }
  });

  it('a 250-character name works; a namespace over 255 characters fails with 73', async () => {
    const db = h.freshDb('cc');
    await run(db, { create: 'a'.repeat(250) });
    expect(await collectionNames(db)).toEqual(['a'.repeat(250)]);
    expect(await codeOf(run(db, { create: 'a'.repeat(255) }))).toBe(73);
  });

  it('idIndex must be an object (14) and non-empty (9); the _id index name is corrected to _id_', async () => {
    const db = h.freshDb('cc');
    const outcomes: unknown[] = [];
    for (const [name, idIndex] of [
      ['c1', 1],
      ['c2', {}],
      ['c3', { key: { a: 1 }, name: '_id_' }],
    ] as const) {
      outcomes.push(
        await run(db, { create: name, idIndex }).then(
          () => 'created',
          (error: unknown) => (error as MongoServerError).code,
        ),
      );
    }
    expect(outcomes).toEqual([14, 9, 2]);
    await run(db, { create: 'c', idIndex: { key: { _id: 1 }, name: 'a_1' } });
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_']);
  });
});

describe('drop (ddl/drop_collection.js, manual: drop command)', () => {
  it('dropping a collection removes its documents and indexes; dropIndexes "*" keeps only _id_', async () => {
    const db = h.freshDb('dc');
    const coll = db.collection('c');
    await coll.insertOne({ x: 1 });
    await createIndex(coll, { a: 1 });
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_', 'a_1']);
    await run(db, { dropIndexes: 'c', index: '*' });
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_']);
    await run(db, { drop: 'c' });
    expect(await coll.countDocuments({})).toBe(0);
    expect(await collectionNames(db)).toEqual([]);
  });

  it('an unrecognised drop parameter is an error (MongoDB 5.0+)', async () => {
    const db = h.freshDb('dc');
    await db.collection('c').insertOne({ x: 1 });
    await errorOf(run(db, { drop: 'c', notAnOption: 1 }));
    expect(await collectionNames(db)).toEqual(['c']);
  });
});

describe('renameCollection (ddl/rename_collection.js, rename_collection_to_itself.js)', () => {
  function ns(db: Db, name: string): string {
    return `${db.databaseName}.${name}`;
  }

  it('renaming moves every document; the source is then empty and gone from the catalog', async () => {
    const db = h.freshDb('rc');
    await db.collection('src').insertMany([{ x: 1 }, { x: 2 }, { x: 3 }]);
    await run(db.admin(), { renameCollection: ns(db, 'src'), to: ns(db, 'dst') });
    expect(await db.collection('src').countDocuments({})).toBe(0);
    expect(await db.collection('dst').countDocuments({})).toBe(3);
    expect(await collectionNames(db)).toEqual(['dst']);
  });

  it('renaming a collection that does not exist fails', async () => {
    const db = h.freshDb('rc');
    await db.collection('other').insertOne({});
    await errorOf(run(db.admin(), { renameCollection: ns(db, 'src'), to: ns(db, 'dst') }));
  });

  it('indexes travel with the collection; an existing target refuses unless dropTarget', async () => {
    const db = h.freshDb('rc');
    const src = db.collection('src');
    await src.insertMany([{ a: 1 }, { a: 2 }]);
    await src.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }]);
    await db.collection('existing').insertOne({ a: 100 });
    await errorOf(run(db.admin(), { renameCollection: ns(db, 'src'), to: ns(db, 'existing') }));
    await run(db.admin(), { renameCollection: ns(db, 'src'), to: ns(db, 'dst') });
    expect(await indexNamesOf(db, 'dst')).toEqual(['_id_', 'a_1', 'b_1']);
    expect(await collectionNames(db)).toEqual(['dst', 'existing']);
    await run(db.admin(), {
      renameCollection: ns(db, 'dst'),
      to: ns(db, 'existing'),
      dropTarget: true,
    });
    expect(await db.collection('existing').countDocuments({})).toBe(2);
    expect(await db.collection('existing').countDocuments({ a: 100 })).toBe(0);
  });

  it('renaming a collection to itself fails with 20 (IllegalOperation) and loses nothing', async () => {
    const db = h.freshDb('rc');
    await db.collection('same').insertOne({ a: 1 });
    const code = await codeOf(
      db
        .admin()
        .command({ renameCollection: ns(db, 'same'), to: ns(db, 'same'), dropTarget: true }),
    );
    expect(code).toBe(20);
    expect(await db.collection('same').countDocuments({})).toBe(1);
  });
});

describe('createIndexes reply and validation (ddl/create_indexes.js, create_indexes_response_fields.js)', () => {
  it('on a new database/collection: createdCollectionAutomatically, numIndexesAfter = before + 1, no note', async () => {
    const db = h.freshDb('ci');
    const res = await run(db, { createIndexes: 'c', indexes: [{ key: { x: 1 }, name: 'x_1' }] });
    expect(res.createdCollectionAutomatically).toBe(true);
    expect(res.numIndexesAfter).toBe(res.numIndexesBefore + 1);
    expect(res.note).toBeUndefined();
  });

  it('repeating an existing index: not createdCollectionAutomatically, before == after, a note', async () => {
    const db = h.freshDb('ci');
    await run(db, { createIndexes: 'c', indexes: [{ key: { x: 1 }, name: 'x_1' }] });
    const res = await run(db, { createIndexes: 'c', indexes: [{ key: { x: 1 }, name: 'x_1' }] });
    expect(res.createdCollectionAutomatically).toBeFalsy();
    expect(res.numIndexesAfter).toBe(res.numIndexesBefore);
    expect(res.note).toBeTruthy();
  });

  it('one existing and one new spec counts only the new one; two new specs count two', async () => {
    const db = h.freshDb('ci');
    await run(db, { createIndexes: 'c', indexes: [{ key: { x: 1 }, name: 'x_1' }] });
    const mixed = await run(db, {
      createIndexes: 'c',
      indexes: [
        { key: { x: 1 }, name: 'x_1' },
        { key: { y: 1 }, name: 'y_1' },
      ],
    });
    expect(mixed.createdCollectionAutomatically).toBeFalsy();
    expect(mixed.numIndexesAfter).toBe(mixed.numIndexesBefore + 1);
    const two = await run(db, {
      createIndexes: 'c',
      indexes: [
        { key: { a: 1 }, name: 'a_1' },
        { key: { b: 1 }, name: 'b_1' },
      ],
    });
    expect(two.numIndexesAfter).toBe(two.numIndexesBefore + 2);
    expect(two.note).toBeUndefined();
  });

  it('an empty indexes array fails with 2 (BadValue)', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    expect(await codeOf(run(db, { createIndexes: 'c', indexes: [] }))).toBe(2);
  });

  it('a spec without key fails with 9 (FailedToParse) and a malformed spec aborts the whole batch', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    expect(await codeOf(run(db, { createIndexes: 'c', indexes: [{}] }))).toBe(9);
    expect(
      await codeOf(run(db, { createIndexes: 'c', indexes: [{}, { key: { m: 1 }, name: 'asd' }] })),
    ).toBe(9);
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_']);
  });

  it('an unknown index type, an empty name or an empty-string key value fail with 67 (CannotCreateIndex)', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    const outcomes: unknown[] = [];
    for (const spec of [
      { key: { x: 'invalid_index_type' }, name: 'x_1' },
      { key: { x: 1 }, name: '' },
      { key: { f: '' }, name: 'f_1' },
    ]) {
      const outcome = await run(db, { createIndexes: 'c', indexes: [spec] }).then(
        () => 'created',
        (error: unknown) => (error as MongoServerError).code,
      );
      outcomes.push([spec, outcome]);
    }
    expect(outcomes).toEqual([
      [{ key: { x: 'invalid_index_type' }, name: 'x_1' }, 67],
      [{ key: { x: 1 }, name: '' }, 67],
      [{ key: { f: '' }, name: 'f_1' }, 67],
    ]);
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_']);
  });

  it('v: 0 is refused; v: 1 is accepted', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    await errorOf(run(db, { createIndexes: 'c', indexes: [{ key: { d: 1 }, name: 'd_1', v: 0 }] }));
    await run(db, { createIndexes: 'c', indexes: [{ key: { d: 1 }, name: 'd_1', v: 1 }] });
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_', 'd_1']);
  });

  it('an unknown top-level field fails with 40415 (IDLUnknownField)', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    const code = await codeOf(
      run(db, {
        createIndexes: 'c',
        indexes: [{ key: { e: 1 }, name: 'e_1' }],
        invalidField: 1,
      }),
    );
    expect(code).toBe(40415);
  });

  it('an unknown field inside a spec fails with 197 (InvalidIndexSpecificationOption), v 1 or 2', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    for (const v of [2, 1]) {
      const code = await codeOf(
        run(db, {
          createIndexes: 'c',
          indexes: [{ key: { e: 1 }, name: 'e_1', v, invalidField: 1 }],
        }),
      );
      expect([v, code]).toEqual([v, 197]);
    }
  });

  it("an index named '*' fails with 2 (BadValue)", async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    expect(
      await codeOf(run(db, { createIndexes: 'c', indexes: [{ key: { star: 1 }, name: '*' }] })),
    ).toBe(2);
  });

  it('two specs with the same name in one command fail with 86 (IndexKeySpecsConflict)', async () => {
    const db = h.freshDb('ci');
    await db.createCollection('c');
    const code = await codeOf(
      run(db, {
        createIndexes: 'c',
        indexes: [
          { key: { g: 1 }, name: 'myidx' },
          { key: { h: 1 }, name: 'myidx' },
        ],
      }),
    );
    expect(code).toBe(86);
  });

  it('sparse: true is kept in the listed spec', async () => {
    const db = h.freshDb('ci');
    await run(db, {
      createIndexes: 'c',
      indexes: [{ key: { c: 1 }, sparse: true, name: 'c_1' }],
    });
    const specs = (await run(db, { listIndexes: 'c' })).cursor.firstBatch as Document[];
    expect(specs.filter((s) => s.sparse)).toHaveLength(1);
  });
});

describe('dropIndexes (ddl/drop_index.js, drop_indexes.js)', () => {
  async function fiveIndexes(): Promise<Db> {
    const db = h.freshDb('di');
    const coll = db.collection('c');
    await coll.insertOne({ _id: 1, a: 2, b: 3, c: 1, d: 1, e: 1 } as Document);
    for (const f of ['a', 'b', 'c', 'd', 'e']) await createIndex(coll, { [f]: 1 });
    return db;
  }

  it('drops by name and by key pattern', async () => {
    const db = await fiveIndexes();
    await run(db, { dropIndexes: 'c', index: 'a_1' });
    await run(db, { dropIndexes: 'c', index: { b: 1 } });
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_', 'c_1', 'd_1', 'e_1']);
  });

  it('the _id index cannot be dropped, by name or key pattern: 72 (InvalidOptions) with an errmsg', async () => {
    const db = await fiveIndexes();
    for (const index of ['_id_', { _id: 1 }]) {
      const error = await errorOf(run(db, { dropIndexes: 'c', index }));
      expect([index, error.code]).toEqual([index, 72]);
      expect(typeof error.errmsg).toBe('string');
    }
    expect(await indexNamesOf(db, 'c')).toContain('_id_');
  });

  it('an array of names drops them all', async () => {
    const db = await fiveIndexes();
    await run(db, { dropIndexes: 'c', index: ['c_1', 'd_1'] });
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_', 'a_1', 'b_1', 'e_1']);
  });

  it('an array including _id_ fails with 72 and drops none of the others', async () => {
    const db = await fiveIndexes();
    expect(await codeOf(run(db, { dropIndexes: 'c', index: ['a_1', '_id_'] }))).toBe(72);
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_', 'a_1', 'b_1', 'c_1', 'd_1', 'e_1']);
  });

  it('an array with a non-string entry fails with 14 (TypeMismatch) and drops nothing', async () => {
    const db = await fiveIndexes();
    expect(await codeOf(run(db, { dropIndexes: 'c', index: ['a_1', 123] }))).toBe(14);
    expect(await indexNamesOf(db, 'c')).toEqual(['_id_', 'a_1', 'b_1', 'c_1', 'd_1', 'e_1']);
  });

  it('a dropped index can be created again under the same name', async () => {
    const db = await fiveIndexes();
    await run(db, { dropIndexes: 'c', index: 'a_1' });
    await createIndex(db.collection('c'), { a: 1 });
    expect(await indexNamesOf(db, 'c')).toContain('a_1');
  });
});
