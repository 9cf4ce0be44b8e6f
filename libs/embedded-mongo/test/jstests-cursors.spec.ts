/**
 * Cursor and batching expectations for find / getMore / killCursors and the cursor-returning
 * catalog commands (listIndexes, listCollections), ported from MongoDB's jstests
 * (mongodb/mongo, jstests/core/query/find_getmore_cmd.js, query/batch_size.js,
 * query/cursor/getmore_invalidated_cursors.js, catalog/list_indexes.js,
 * catalog/list_collections1.js, catalog/views/views_all_commands.js). Each test names its source.
 */
import { Long, MongoServerError, type Db, type Document } from 'mongodb';
import {
  createIndex,
  pathOf,
  rejectionOf,
  startHarness,
  stopHarness,
  type Harness,
  type CommandReply as Reply,
  runCommand as run,
  serverErrorOf as errorOf,
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

/** The cursor id of a reply as a bigint (the driver decodes int64 as Long). */
function idOf(reply: Reply): bigint {
  const id: unknown = reply.cursor.id;
  if (id instanceof Long) return id.toBigInt();
  return BigInt(id as number);
}

async function seeded(prefix: string, n: number): Promise<{ db: Db; name: string }> {
  const db = h.freshDb(prefix);
  await db.collection('c').insertMany(Array.from({ length: n }, (_, i) => ({ a: i })));
  return { db, name: 'c' };
}

describe('find and getMore commands (find_getmore_cmd.js, 7.0 version with 101 default batch)', () => {
  it('find with no options returns 101 documents, a Long cursor id and ns db.coll', async () => {
    const { db, name } = await seeded('fg', 150);
    const res = await run(db, { find: name });
    expect(res.cursor.id).toBeInstanceOf(Long);
    expect(idOf(res)).toBeGreaterThan(0n);
    expect(res.cursor.ns).toBe(`${db.databaseName}.${name}`);
    expect(res.cursor.firstBatch).toHaveLength(101);
  });

  it('getMore returns the remaining 49 in nextBatch with id 0; a second getMore fails', async () => {
    const { db, name } = await seeded('fg', 150);
    const first = await run(db, { find: name });
    const id = first.cursor.id;
    const more = await run(db, { getMore: id, collection: name });
    expect(idOf(more)).toBe(0n);
    expect(more.cursor.ns).toBe(`${db.databaseName}.${name}`);
    expect(more.cursor.nextBatch).toHaveLength(49);
    await errorOf(run(db, { getMore: id, collection: name }));
  });

  it('find with limit 10 returns 10 documents and a closed cursor (id 0)', async () => {
    const { db, name } = await seeded('fg', 150);
    const res = await run(db, { find: name, limit: 10 });
    expect(res.cursor.firstBatch).toHaveLength(10);
    expect(idOf(res)).toBe(0n);
  });

  it('batchSize 10 then getMore batchSize 5 returns 10 then 5 with the cursor still open', async () => {
    const { db, name } = await seeded('fg', 150);
    const res = await run(db, { find: name, batchSize: 10 });
    expect(res.cursor.firstBatch).toHaveLength(10);
    expect(idOf(res)).toBeGreaterThan(0n);
    const more = await run(db, { getMore: res.cursor.id, collection: name, batchSize: 5 });
    expect(more.cursor.nextBatch).toHaveLength(5);
    expect(idOf(more)).toBeGreaterThan(0n);
  });

  it('batchSize 0 returns an empty first batch and an open cursor', async () => {
    const { db, name } = await seeded('fg', 150);
    const res = await run(db, { find: name, batchSize: 0 });
    expect(res.cursor.firstBatch).toHaveLength(0);
    expect(idOf(res)).toBeGreaterThan(0n);
    const more = await run(db, { getMore: res.cursor.id, collection: name, batchSize: 5 });
    expect(more.cursor.nextBatch).toHaveLength(5);
  });

  it('batchSize 10 with limit 20: getMore batchSize 11 returns only the last 10 and closes', async () => {
    const { db, name } = await seeded('fg', 150);
    const res = await run(db, { find: name, batchSize: 10, limit: 20 });
    expect(res.cursor.firstBatch).toHaveLength(10);
    expect(idOf(res)).toBeGreaterThan(0n);
    const more = await run(db, { getMore: res.cursor.id, collection: name, batchSize: 11 });
    expect(idOf(more)).toBe(0n);
    expect(more.cursor.nextBatch).toHaveLength(10);
  });

  it('singleBatch: true with batchSize 10 returns 10 and closes the cursor', async () => {
    const { db, name } = await seeded('fg', 150);
    const res = await run(db, { find: name, batchSize: 10, singleBatch: true });
    expect(res.cursor.firstBatch).toHaveLength(10);
    expect(idOf(res)).toBe(0n);
  });

  it('find on an empty collection name fails with 73 (InvalidNamespace)', async () => {
    const db = h.freshDb('fg');
    expect((await errorOf(run(db, { find: '' }))).code).toBe(73);
  });
});

describe('batch size and limit through the driver (batch_size.js)', () => {
  async function hundred(): Promise<{ db: Db; name: string }> {
    const db = h.freshDb('bs');
    const coll = db.collection('c');
    await createIndex(coll, { a: 1 });
    await createIndex(coll, { b: 1 });
    await coll.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i, a: i, b: 1 })) as never);
    return { db, name: 'c' };
  }

  it('batchSize is not a limit: 4 documents in batches of 2, sorted or not', async () => {
    const db = h.freshDb('bs');
    const coll = db.collection('c');
    await coll.insertMany(Array.from({ length: 4 }, (_, i) => ({ _id: i, a: i })) as never);
    expect(await coll.find().batchSize(2).toArray()).toHaveLength(4);
    expect(await coll.find().sort({ a: 1 }).batchSize(2).toArray()).toHaveLength(4);
    expect(await coll.find().sort({ a: 1 }).limit(2).toArray()).toHaveLength(2);
  });

  it('a range + sort on another field: batchSize(2) gives all 15, limit(6) gives 6, with any hint', async () => {
    const { db, name } = await hundred();
    const coll = db.collection(name);
    const q = { a: { $gte: 85 } };
    expect(await coll.find(q).sort({ b: 1 }).batchSize(2).toArray()).toHaveLength(15);
    expect(await coll.find(q).sort({ b: 1 }).limit(6).toArray()).toHaveLength(6);
    for (const hint of [{ a: 1 }, { b: 1 }]) {
      expect(await coll.find(q).sort({ b: 1 }).hint(hint).batchSize(2).toArray()).toHaveLength(15);
      expect(await coll.find(q).sort({ b: 1 }).hint(hint).limit(6).toArray()).toHaveLength(6);
    }
  });

  it('explain executionStats reports nReturned 15 for batchSize(2) and 6 for limit(6)', async () => {
    const { db, name } = await hundred();
    const coll = db.collection(name);
    const q = { a: { $gte: 85 } };
    const batched = await coll.find(q).sort({ b: 1 }).batchSize(2).explain('executionStats');
    expect(pathOf(batched, 'executionStats.nReturned')).toBe(15);
    const limited = await coll.find(q).sort({ b: 1 }).limit(6).explain('executionStats');
    expect(pathOf(limited, 'executionStats.nReturned')).toBe(6);
  });

  it('a descending sort with limit 3 returns the top three and no more', async () => {
    const db = h.freshDb('bs');
    const coll = db.collection('c');
    await coll.insertMany(Array.from({ length: 40 }, (_, i) => ({ x: 1, y: 1, z: i })));
    await createIndex(coll, { x: 1 });
    await createIndex(coll, { y: 1 });
    const docs = await coll.find({ x: 1, y: 1 }).sort({ z: -1 }).limit(3).toArray();
    expect(docs.map((d) => d.z as number)).toEqual([39, 38, 37]);
  });
});

describe('killCursors and invalidated cursors (getmore_invalidated_cursors.js, views_all_commands.js)', () => {
  it('killCursors replies {cursorsKilled: [id], cursorsNotFound: [], cursorsAlive: [], cursorsUnknown: []}', async () => {
    const { db, name } = await seeded('kc', 10);
    const res = await run(db, { find: name, batchSize: 2 });
    const reply = await run(db, { killCursors: name, cursors: [res.cursor.id] });
    expect(reply.ok).toBe(1);
    expect(reply.cursorsKilled.map((id: Long) => BigInt(id.toString()))).toEqual([idOf(res)]);
    expect(reply.cursorsNotFound).toEqual([]);
    expect(reply.cursorsAlive).toEqual([]);
    expect(reply.cursorsUnknown).toEqual([]);
  });

  it('getMore on a killed cursor fails with 43 (CursorNotFound)', async () => {
    const { db, name } = await seeded('kc', 100);
    const res = await run(db, { find: name, filter: {}, batchSize: 99 });
    await run(db, { killCursors: name, cursors: [res.cursor.id] });
    const error = await errorOf(run(db, { getMore: res.cursor.id, collection: name }));
    expect(error.code).toBe(43);
  });

  it('dropping the collection between find and getMore kills the cursor (175 or 26, "collection dropped")', async () => {
    const { db, name } = await seeded('kc', 100);
    const res = await run(db, { find: name, batchSize: 99 });
    await db.collection(name).drop();
    const error = await errorOf(run(db, { getMore: res.cursor.id, collection: name }));
    expect([175, 26]).toContain(error.code);
    expect(error.message).toMatch(/collection dropped|collection renamed/);
  });

  it('dropping the database between find and getMore kills the cursor (175 or 26, "collection dropped")', async () => {
    const { db, name } = await seeded('kc', 100);
    const res = await run(db, { find: name, batchSize: 99 });
    await db.dropDatabase();
    const error = await errorOf(run(db, { getMore: res.cursor.id, collection: name }));
    expect([175, 26]).toContain(error.code);
    expect(error.message).toMatch(/collection dropped/);
  });

  it('renaming the collection between find and getMore kills the cursor with 175 (QueryPlanKilled)', async () => {
    const { db, name } = await seeded('kc', 100);
    const res = await run(db, { find: name, batchSize: 99 });
    await run(db.admin(), {
      renameCollection: `${db.databaseName}.${name}`,
      to: `${db.databaseName}.renamed`,
    });
    const error = await errorOf(run(db, { getMore: res.cursor.id, collection: name }));
    expect(error.code).toBe(175);
    expect(error.message).toMatch(/collection renamed/);
  });

  it('dropping an index the cursor does not use leaves the cursor working', async () => {
    const { db, name } = await seeded('kc', 100);
    await createIndex(db.collection(name), { a: 1 });
    const res = await run(db, { find: name, batchSize: 99 });
    await run(db, { dropIndexes: name, index: { a: 1 } });
    const more = await run(db, { getMore: res.cursor.id, collection: name });
    expect(more.cursor.nextBatch).toHaveLength(1);
  });

  it('dropping the hinted index kills the cursor with "index \'a_1\' dropped"', async () => {
    const { db, name } = await seeded('kc', 100);
    await createIndex(db.collection(name), { a: 1 });
    const res = await run(db, { find: name, hint: { a: 1 }, batchSize: 99 });
    await run(db, { dropIndexes: name, index: { a: 1 } });
    const error = await errorOf(run(db, { getMore: res.cursor.id, collection: name }));
    expect([175, 26]).toContain(error.code);
    expect(error.message).toContain("index 'a_1' dropped");
  });
});

describe('listIndexes cursor (catalog/list_indexes.js)', () => {
  async function withIndexes(extra: string[]): Promise<{ db: Db; name: string }> {
    const db = h.freshDb('li');
    await db.createCollection('c');
    for (const field of extra)
      await createIndex(db.collection('c'), { [field]: 1 }, { unique: true });
    return { db, name: 'c' };
  }

  it('basic output: cursor id 0, ns db.coll, one _id_ spec', async () => {
    const { db, name } = await withIndexes([]);
    const res = await run(db, { listIndexes: name });
    expect(typeof res.cursor).toBe('object');
    expect(idOf(res)).toBe(0n);
    expect(res.cursor.ns).toBe(`${db.databaseName}.${name}`);
    expect(res.cursor.firstBatch).toHaveLength(1);
    expect(res.cursor.firstBatch[0].name).toBe('_id_');
  });

  it('index metadata: _id_ has key {_id: 1} and no unique field; a_1 has unique: true', async () => {
    const { db, name } = await withIndexes(['a']);
    const res = await run(db, { listIndexes: name });
    const specs = (res.cursor.firstBatch as Document[]).sort((x, y) =>
      String(x.name).localeCompare(String(y.name)),
    );
    expect(specs).toHaveLength(2);
    expect(specs[0].key).toEqual({ _id: 1 });
    expect(Object.keys(specs[0])).not.toContain('unique');
    expect(specs[1].name).toBe('a_1');
    expect(specs[1].key).toEqual({ a: 1 });
    expect(specs[1].unique).toBe(true);
  });

  it('a non-string or empty collection name is refused', async () => {
    const { db } = await withIndexes([]);
    for (const bad of ['', 1, {}, []]) {
      const error = await rejectionOf(run(db, { listIndexes: bad }));
      expect([bad, error instanceof MongoServerError]).toEqual([bad, true]);
    }
  });

  it('cursor.batchSize 2 / 1 / 0 sizes the first batch; {} is accepted', async () => {
    const { db, name } = await withIndexes(['a']);
    for (const batchSize of [2, 1, 0]) {
      const res = await run(db, { listIndexes: name, cursor: { batchSize } });
      expect([batchSize, res.cursor.firstBatch.length]).toEqual([batchSize, batchSize]);
    }
    const res = await run(db, { listIndexes: name, cursor: {} });
    expect(res.cursor.firstBatch.map((s) => s.name).sort()).toEqual(['_id_', 'a_1']);
  });

  it('more than two batches: batchSize 0 then getMores of 2 deliver all four specs', async () => {
    const { db, name } = await withIndexes(['a', 'b', 'c']);
    const res = await run(db, { listIndexes: name, cursor: { batchSize: 0 } });
    expect(res.cursor.firstBatch).toHaveLength(0);
    const names: string[] = [];
    let id = res.cursor.id;
    const sizes: number[] = [];
    while (BigInt(id.toString()) !== 0n) {
      const more = await run(db, { getMore: id, collection: name, batchSize: 2 });
      sizes.push(more.cursor.nextBatch.length);
      names.push(...(more.cursor.nextBatch as Document[]).map((s) => String(s.name)));
      id = more.cursor.id;
    }
    expect(sizes.slice(0, 2)).toEqual([2, 2]);
    expect(names.sort()).toEqual(['_id_', 'a_1', 'b_1', 'c_1']);
  });

  it('a killed listIndexes cursor can no longer be iterated', async () => {
    const { db, name } = await withIndexes(['a', 'b', 'c']);
    const res = await run(db, { listIndexes: name, cursor: { batchSize: 0 } });
    await run(db, { killCursors: name, cursors: [res.cursor.id] });
    await errorOf(run(db, { getMore: res.cursor.id, collection: name, batchSize: 2 }));
  });
});

describe('listCollections cursor (catalog/list_collections1.js, list_collections_name_only.js)', () => {
  it('basic output: id 0, ns string, options object, type collection, info.readOnly false, idIndex with v', async () => {
    const db = h.freshDb('lc');
    await db.createCollection('foo');
    const res = await run(db, { listCollections: 1 });
    expect(idOf(res)).toBe(0n);
    expect(typeof res.cursor.ns).toBe('string');
    const foo = (res.cursor.firstBatch as Document[]).find((c) => c.name === 'foo');
    expect(foo).toBeDefined();
    expect(typeof foo?.options).toBe('object');
    expect(foo?.type).toBe('collection');
    expect(pathOf(foo, 'info.readOnly')).toBe(false);
    expect(typeof foo?.idIndex).toBe('object');
    expect(Object.keys((foo?.idIndex ?? {}) as object)).toContain('v');
  });

  it('nameOnly: true returns only name and type', async () => {
    const db = h.freshDb('lc');
    await db.createCollection('foo');
    const res = await run(db, { listCollections: 1, nameOnly: true });
    const foo = res.cursor.firstBatch[0] as Document;
    expect(foo.name).toBe('foo');
    expect(foo.type).toBe('collection');
    for (const field of ['idIndex', 'options', 'info'])
      expect(Object.keys(foo)).not.toContain(field);
  });

  it('filter: $in on name, an anchored regex, and a dropped collection disappearing', async () => {
    const db = h.freshDb('lc');
    await db.createCollection('foo');
    await db.createCollection('bar');
    const names = async (filter: Document) =>
      (await run(db, { listCollections: 1, filter })).cursor.firstBatch
        .map((c) => String(c.name))
        .sort();
    expect(await names({ name: { $in: ['foo', 'bar'] } })).toEqual(['bar', 'foo']);
    expect(await names({ name: /^foo$/ })).toEqual(['foo']);
    await db.collection('foo').drop();
    expect(await names({ name: { $in: ['foo', 'bar'] } })).toEqual(['bar']);
    expect(await names({ name: /^foo$/ })).toEqual([]);
  });

  it('an invalid filter ({$invalid: 1}, 0, "x", []) is refused', async () => {
    const db = h.freshDb('lc');
    await db.createCollection('foo');
    for (const filter of [{ $invalid: 1 }, 0, 'x', []]) {
      const error = await rejectionOf(run(db, { listCollections: 1, filter }));
      expect([filter, error instanceof MongoServerError]).toEqual([filter, true]);
    }
  });

  it('cursor.batchSize 2 / 1 / 0 sizes the first batch, and getMore delivers the rest', async () => {
    const db = h.freshDb('lc');
    for (const name of ['foo', 'bar', 'baz', 'quux']) await db.createCollection(name);
    for (const batchSize of [2, 1, 0]) {
      const res = await run(db, { listCollections: 1, cursor: { batchSize } });
      expect([batchSize, res.cursor.firstBatch.length]).toEqual([batchSize, batchSize]);
    }
    const res = await run(db, { listCollections: 1, cursor: { batchSize: 0 } });
    const more = await run(db, {
      getMore: res.cursor.id,
      collection: '$cmd.listCollections',
      batchSize: 2,
    });
    expect(more.cursor.nextBatch).toHaveLength(2);
    expect(idOf(more)).toBeGreaterThan(0n);
  });

  it('invalid cursor options are refused', async () => {
    const db = h.freshDb('lc');
    await db.createCollection('foo');
    const accepted: unknown[][] = [];
    for (const cursor of [
      0,
      'x',
      [],
      { foo: 1 },
      { batchSize: -1 },
      { batchSize: 'x' },
      { batchSize: {} },
      { batchSize: 2, foo: 1 },
    ]) {
      accepted.push(
        await run(db, { listCollections: 1, cursor }).then(
          () => [cursor],
          () => [],
        ),
      );
    }
    expect(accepted.flat()).toEqual([]);
  });

  it('includePendingDrops must be boolean-like: {} and "s" fail with 14 (TypeMismatch)', async () => {
    const db = h.freshDb('lc');
    await db.createCollection('foo');
    for (const bad of [{}, 's']) {
      const error = await errorOf(run(db, { listCollections: 1, includePendingDrops: bad }));
      expect([bad, error.code]).toEqual([bad, 14]);
    }
    for (const good of [1, true, false]) {
      const res = await run(db, { listCollections: 1, includePendingDrops: good });
      expect(res.ok).toBe(1);
    }
  });

  it('a database that does not exist lists nothing', async () => {
    const db = h.freshDb('lc');
    const res = await run(db, { listCollections: 1 });
    expect(res.cursor.firstBatch).toEqual([]);
  });
});

describe('find command parsing (src/mongo/db/query/query_request_test.cpp)', () => {
  async function outcomesOf(cmds: Document[]): Promise<unknown[]> {
    const { db, name } = await seeded('fp', 3);
    const outcomes: unknown[] = [];
    for (const extra of cmds) {
      outcomes.push([
        extra,
        await run(db, { find: name, ...extra }).then(
          () => 'ok',
          (error: unknown) => (error as MongoServerError).code,
        ),
      ]);
    }
    return outcomes;
  }

  it('wrongly typed filter, sort, projection, skip, limit or singleBatch fail with 14 (TypeMismatch)', async () => {
    const cmds = [
      { filter: 3 },
      { sort: 3 },
      { projection: 'foo' },
      { skip: '5' },
      { limit: '5' },
      { singleBatch: 'false' },
    ];
    expect(await outcomesOf(cmds)).toEqual(cmds.map((c) => [c, 14]));
  });

  it('a negative skip, limit or batchSize fails with 2 (BadValue)', async () => {
    const cmds = [{ skip: -3 }, { limit: -3 }, { batchSize: -10 }];
    expect(await outcomesOf(cmds)).toEqual(cmds.map((c) => [c, 2]));
  });

  it('skip 0 and limit 0 are accepted and mean none', async () => {
    const { db, name } = await seeded('fp', 3);
    const res = await run(db, { find: name, skip: 0, limit: 0 });
    expect(res.cursor.firstBatch).toHaveLength(3);
  });

  it('an unknown field (exhaust, slaveOk) fails with 40415 (IDLUnknownField)', async () => {
    const cmds = [{ exhaust: 3 }, { slaveOk: 3 }];
    expect(await outcomesOf(cmds)).toEqual(cmds.map((c) => [c, 40415]));
  });
});
