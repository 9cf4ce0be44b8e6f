/**
 * Command-level expectations for the write commands (insert, update, delete), findAndModify,
 * count and distinct, ported from MongoDB's jstests (mongodb/mongo, jstests/core/write/* and
 * jstests/core/query/{find_and_modify,count,distinct}/*). Raw commands go through
 * `db.command` so the exact reply shape is checked. Each test names its jstest.
 */
import { ObjectId, type Db, type Document } from 'mongodb';
import {
  createIndex,
  pathOf,
  rejectionOf,
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

/** A fresh database plus the name `c` of the collection the test works on. */
function fresh(prefix: string): { db: Db; name: string } {
  return { db: h.freshDb(prefix), name: 'c' };
}

/** batch_write_command_*.js resultOK: ok and none of code, errmsg, errInfo, writeErrors. */
function expectResultOK(result: Document): void {
  expect(result.ok).toBe(1);
  for (const field of ['code', 'errmsg', 'errInfo', 'writeErrors']) {
    expect(Object.keys(result)).not.toContain(field);
  }
}

function expectWriteError(entry: unknown, index: number): void {
  const e = entry as Document;
  expect(e.index).toBe(index);
  expect(typeof e.code).toBe('number');
  expect(typeof e.errmsg).toBe('string');
}

async function count(db: Db, name: string, filter: Document = {}): Promise<number> {
  return db.collection(name).countDocuments(filter);
}

describe('insert command (write/insert/batch_write_command_insert.js)', () => {
  it('an insert without documents fails with a numeric code and an errmsg', async () => {
    const { db, name } = fresh('bwi');
    const error = await errorOf(run(db, { insert: name }));
    expect(typeof error.code).toBe('number');
    expect(typeof error.errmsg).toBe('string');
  });

  it('an insert with an empty documents array fails', async () => {
    const { db, name } = fresh('bwi');
    const error = await errorOf(run(db, { insert: name, documents: [] }));
    expect(typeof error.code).toBe('number');
  });

  it('a single-document insert replies n: 1 and nothing else of note, ordered or not', async () => {
    for (const extra of [{}, { writeConcern: { w: 1 }, ordered: true }, { ordered: false }]) {
      const { db, name } = fresh('bwi');
      const result = await run(db, { insert: name, documents: [{ a: 1 }], ...extra });
      expectResultOK(result);
      expect(result.n).toBe(1);
      expect(await count(db, name)).toBe(1);
    }
  });

  it('a document with a nested $-prefixed key (oplog format) is inserted', async () => {
    const { db, name } = fresh('bwi');
    const result = await run(db, {
      insert: name,
      documents: [{ o: { $set: { a: 1 } } }],
      ordered: false,
    });
    expectResultOK(result);
    expect(result.n).toBe(1);
    expect(await count(db, name)).toBe(1);
  });

  it('a batch of maxWriteBatchSize documents is accepted, one more is refused as a whole', async () => {
    const { db, name } = fresh('bwi');
    const hello = await run(db.admin(), { hello: 1 });
    const max = hello.maxWriteBatchSize;
    const ok = await run(db, {
      insert: name,
      documents: Array.from({ length: max }, () => ({})),
      ordered: false,
    });
    expectResultOK(ok);
    expect(ok.n).toBe(max);
    const other = fresh('bwi');
    const error = await errorOf(
      run(other.db, {
        insert: other.name,
        documents: Array.from({ length: max + 1 }, () => ({})),
        ordered: false,
      }),
    );
    expect(typeof error.code).toBe('number');
    expect(await count(other.db, other.name)).toBe(0);
  }, 120_000);

  it('a duplicate key is a writeError (ok: 1, n: 0), not a command failure', async () => {
    const { db, name } = fresh('bwi');
    await createIndex(db.collection(name), { a: 1 }, { unique: true });
    await db.collection(name).insertOne({ a: 1 });
    const result = await run(db, { insert: name, documents: [{ a: 1 }] });
    expect(result.ok).toBe(1);
    expect(result.n).toBe(0);
    expect(result.writeErrors).toHaveLength(1);
    expectWriteError(result.writeErrors[0], 0);
    expect(await count(db, name)).toBe(1);
  });

  it('unordered: three equal docs under a unique index give n: 1 and writeErrors at 1 and 2', async () => {
    const { db, name } = fresh('bwi');
    await createIndex(db.collection(name), { a: 1 }, { unique: true });
    const result = await run(db, {
      insert: name,
      documents: [{ a: 1 }, { a: 1 }, { a: 1 }],
      ordered: false,
    });
    expect(result.ok).toBe(1);
    expect(result.n).toBe(1);
    expect(result.writeErrors).toHaveLength(2);
    expectWriteError(result.writeErrors[0], 1);
    expectWriteError(result.writeErrors[1], 2);
    expect(await count(db, name)).toBe(1);
  });

  it('ordered: the batch stops at the first duplicate (n: 1, one writeError at index 1)', async () => {
    const { db, name } = fresh('bwi');
    await createIndex(db.collection(name), { a: 1 }, { unique: true });
    const result = await run(db, {
      insert: name,
      documents: [{ a: 1 }, { a: 1 }, { a: 1 }],
      ordered: true,
    });
    expect(result.n).toBe(1);
    expect(result.writeErrors).toHaveLength(1);
    expectWriteError(result.writeErrors[0], 1);
    expect(await count(db, name)).toBe(1);
  });

  it('_id is the first field of every stored document, even when sent last', async () => {
    const { db, name } = fresh('bwi');
    await run(db, { insert: name, documents: [{ a: 1 }, { a: 2, _id: 2 }] });
    const docs = await db.collection(name).find().toArray();
    expect(docs).toHaveLength(2);
    for (const doc of docs) expect(Object.keys(doc)[0]).toBe('_id');
  });

  it('an ordered bulk of _id 1..99 over an existing _id 50 leaves exactly 50 documents', async () => {
    const { db, name } = fresh('bwi');
    await db.collection(name).insertOne({ _id: 50 } as Document);
    const docs = Array.from({ length: 99 }, (_, i) => ({ _id: i + 1 }));
    await rejectionOf(db.collection(name).insertMany(docs as Document[], { ordered: true }));
    expect(await count(db, name)).toBe(50);
  });
});

describe('insert _id rules (write/insert/insert1.js, insert_illegal_doc.js)', () => {
  it('_id may be a string or null; a missing _id is generated', async () => {
    const { db, name } = fresh('ins1');
    const coll = db.collection(name);
    // Raw command: the driver itself would replace a null _id with an ObjectId.
    await run(db, {
      insert: name,
      documents: [
        { a: 3, _id: 'asdf' },
        { a: 4, _id: null },
      ],
    });
    expect(await coll.findOne({ a: 3 })).toEqual({ _id: 'asdf', a: 3 });
    expect(await coll.findOne({ a: 4 })).toEqual({ _id: null, a: 4 });
    await run(db, { insert: name, documents: [{ a: 1 }] });
    const generated = await coll.findOne({ a: 1 });
    expect(generated?._id).toBeInstanceOf(ObjectId);
  });

  it('a regex _id is refused and the collection is not created', async () => {
    const { db, name } = fresh('ins1');
    await errorOf(db.collection(name).insertOne({ _id: /x/ } as unknown as Document));
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain(name);
  });

  it('parallel arrays under a compound index fail with 171 (CannotIndexParallelArrays) on insert, upsert and update', async () => {
    const { db, name } = fresh('ins1');
    const coll = db.collection(name);
    await createIndex(coll, { a: 1, b: 1 });
    const upsert = await run(db, {
      update: name,
      updates: [{ q: { _id: 1 }, u: { _id: 1, a: [1, 2, 3], b: [4, 5, 6] }, upsert: true }],
    });
    expect(pathOf(upsert, 'writeErrors.0.code')).toBe(171);
    const insert = await run(db, {
      insert: name,
      documents: [{ _id: 1, a: [1, 2, 3], b: [4, 5, 6] }],
    });
    expect(pathOf(insert, 'writeErrors.0.code')).toBe(171);
    expect(await count(db, name)).toBe(0);
    await coll.insertOne({ _id: 1 } as Document);
    const update = await run(db, {
      update: name,
      updates: [{ q: { _id: 1 }, u: { $set: { a: [1, 2, 3], b: [4, 5, 6] } } }],
    });
    expect(pathOf(update, 'writeErrors.0.code')).toBe(171);
    expect(await coll.findOne({ _id: 1 } as Document)).toEqual({ _id: 1 });
  });
});

describe('update command (write/update/batch_write_command_update.js)', () => {
  it('an update without updates fails', async () => {
    const { db, name } = fresh('bwu');
    const error = await errorOf(run(db, { update: name }));
    expect(typeof error.code).toBe('number');
    expect(typeof error.errmsg).toBe('string');
  });

  it('a single upsert reports n: 1, nModified: 0 and upserted [{index: 0, _id}]', async () => {
    const { db, name } = fresh('bwu');
    const result = await run(db, {
      update: name,
      updates: [{ q: { a: 1 }, u: { $set: { a: 1 } }, upsert: true }],
    });
    expectResultOK(result);
    expect(result.n).toBe(1);
    expect(result.nModified).toBe(0);
    expect(result.upserted).toHaveLength(1);
    expect(result.upserted[0].index).toBe(0);
    expect(await count(db, name, { _id: result.upserted[0]._id })).toBe(1);
  });

  it('a plain single update reports n: 1, nModified: 1 and no upserted field', async () => {
    const { db, name } = fresh('bwu');
    await db.collection(name).insertOne({ a: 1 });
    const result = await run(db, {
      update: name,
      updates: [{ q: { a: 1 }, u: { $set: { c: 1 } } }],
    });
    expectResultOK(result);
    expect(result.n).toBe(1);
    expect(result.nModified).toBe(1);
    expect(Object.keys(result)).not.toContain('upserted');
  });

  it('an update and an upsert in one batch: n: 2, nModified: 1, upserted index 1', async () => {
    const { db, name } = fresh('bwu');
    await db.collection(name).insertOne({ b: 1 });
    const result = await run(db, {
      update: name,
      updates: [
        { q: { b: 1 }, u: { $set: { b: 1, a: 1 } }, upsert: true },
        { q: { b: 2 }, u: { $set: { b: 2, a: 1 } }, upsert: true },
      ],
      ordered: false,
    });
    expectResultOK(result);
    expect(result.n).toBe(2);
    expect(result.nModified).toBe(1);
    expect(result.upserted).toHaveLength(1);
    expect(result.upserted[0].index).toBe(1);
    expect(await count(db, name)).toBe(2);
  });

  it('multi: n counts matches and nModified only the documents actually changed', async () => {
    const { db, name } = fresh('bwu');
    await db.collection(name).insertMany([{ a: 1, c: 2 }, { a: 1 }]);
    const result = await run(db, {
      update: name,
      updates: [{ q: { a: 1 }, u: { $set: { c: 2 } }, multi: true }],
      ordered: false,
    });
    expectResultOK(result);
    expect(result.n).toBe(2);
    expect(result.nModified).toBe(1);
    expect(await count(db, name, { a: 1, c: 2 })).toBe(2);
  });

  it('ordered upserts stop at a duplicate key: n: 2, upserted at 0 and 1, writeError at 2', async () => {
    const { db, name } = fresh('bwu');
    await createIndex(db.collection(name), { a: 1 }, { unique: true });
    const result = await run(db, {
      update: name,
      updates: [
        { q: { b: 1 }, u: { $set: { b: 1, a: 1 } }, upsert: true },
        { q: { b: 3 }, u: { $set: { b: 3, a: 2 } }, upsert: true },
        { q: { b: 2 }, u: { $set: { b: 2, a: 1 } }, upsert: true },
      ],
      ordered: true,
    });
    expect(result.ok).toBe(1);
    expect(result.n).toBe(2);
    expect(result.nModified).toBe(0);
    expect(result.writeErrors).toHaveLength(1);
    expectWriteError(result.writeErrors[0], 2);
    expect(result.upserted.map((u) => u.index)).toEqual([0, 1]);
    for (const u of result.upserted) {
      expect(await count(db, name, { _id: u._id })).toBe(1);
    }
  });

  it('unordered upserts continue past duplicates: upserted at 0 and 3, writeErrors at 1 and 2', async () => {
    const { db, name } = fresh('bwu');
    await createIndex(db.collection(name), { a: 1 }, { unique: true });
    const result = await run(db, {
      update: name,
      updates: [
        { q: { b: 1 }, u: { $set: { b: 1, a: 1 } }, upsert: true },
        { q: { b: 2 }, u: { $set: { b: 2, a: 1 } }, upsert: true },
        { q: { b: 2 }, u: { $set: { b: 2, a: 1 } }, upsert: true },
        { q: { b: 3 }, u: { $set: { b: 3, a: 3 } }, upsert: true },
      ],
      ordered: false,
    });
    expect(result.n).toBe(2);
    expect(result.nModified).toBe(0);
    expect(result.writeErrors).toHaveLength(2);
    expectWriteError(result.writeErrors[0], 1);
    expectWriteError(result.writeErrors[1], 2);
    expect(result.upserted.map((u) => u.index)).toEqual([0, 3]);
  });

  it('more than maxWriteBatchSize update statements are refused and nothing changes', async () => {
    const { db, name } = fresh('bwu');
    await db.collection(name).insertOne({ a: 0 });
    const max = (await run(db.admin(), { hello: 1 })).maxWriteBatchSize;
    const updates = Array.from({ length: max + 1 }, () => ({ q: {}, u: { $inc: { a: 1 } } }));
    await errorOf(run(db, { update: name, updates, ordered: false }));
    expect(await count(db, name, { a: 0 })).toBe(1);
  }, 120_000);
});

describe('delete command (write/delete/batch_write_command_delete.js, remove_justone.js)', () => {
  it('a delete without deletes fails and removes nothing', async () => {
    const { db, name } = fresh('bwd');
    await db.collection(name).insertOne({ a: 1 });
    const error = await errorOf(run(db, { delete: name }));
    expect(typeof error.code).toBe('number');
    expect(await count(db, name)).toBe(1);
  });

  it('limit: 1 removes one match, limit: 0 removes all; n reports the count', async () => {
    const { db, name } = fresh('bwd');
    await db.collection(name).insertMany([{ a: 1 }, { a: 1 }, { a: 1 }]);
    const one = await run(db, { delete: name, deletes: [{ q: { a: 1 }, limit: 1 }] });
    expectResultOK(one);
    expect(one.n).toBe(1);
    const all = await run(db, {
      delete: name,
      deletes: [{ q: { a: 1 }, limit: 0 }],
      ordered: false,
    });
    expectResultOK(all);
    expect(all.n).toBe(2);
    expect(await count(db, name)).toBe(0);
  });

  it('ordered: an invalid query ({$set: ...}) is a writeError at its index and stops the batch', async () => {
    const { db, name } = fresh('bwd');
    await db.collection(name).insertOne({ a: 1 });
    const result = await run(db, {
      delete: name,
      deletes: [
        { q: { a: 1 }, limit: 0 },
        { q: { $set: { a: 1 } }, limit: 0 },
        { q: { $set: { a: 1 } }, limit: 0 },
      ],
      ordered: true,
    });
    expect(result.ok).toBe(1);
    expect(result.n).toBe(1);
    expect(result.writeErrors).toHaveLength(1);
    expectWriteError(result.writeErrors[0], 1);
    expect(await count(db, name)).toBe(0);
  });

  it('unordered: invalid queries at 0 and 1 are writeErrors and the valid delete at 2 still runs', async () => {
    const { db, name } = fresh('bwd');
    await db.collection(name).insertOne({ a: 1 });
    const result = await run(db, {
      delete: name,
      deletes: [
        { q: { $set: { a: 1 } }, limit: 0 },
        { q: { $set: { a: 1 } }, limit: 0 },
        { q: { a: 1 }, limit: 0 },
      ],
      ordered: false,
    });
    expect(result.ok).toBe(1);
    expect(result.n).toBe(1);
    expect(result.writeErrors).toHaveLength(2);
    expectWriteError(result.writeErrors[0], 0);
    expectWriteError(result.writeErrors[1], 1);
    expect(await count(db, name)).toBe(0);
  });
});

describe('findAndModify: basics (query/find_and_modify/find_and_modify.js)', () => {
  async function seedQueue(): Promise<{ db: Db; name: string }> {
    const target = fresh('fam');
    const docs = Array.from({ length: 10 }, (_, i) => ({
      priority: i + 1,
      inprogress: false,
      value: 0,
    }));
    await target.db.collection(target.name).insertMany(docs);
    return target;
  }

  it('returns the pre-image by default and the post-image with new: true, honouring sort', async () => {
    const { db, name } = await seedQueue();
    const update = { $set: { inprogress: true }, $inc: { value: 1 } };
    const before = await run(db, { findAndModify: name, sort: { priority: 1 }, update });
    expect(before.value.value).toBe(0);
    expect(before.value.inprogress).toBe(false);
    await db
      .collection(name)
      .updateOne({ _id: before.value._id as ObjectId }, { $set: { inprogress: false } });
    const after = await run(db, {
      findAndModify: name,
      sort: { priority: 1 },
      update,
      new: true,
    });
    expect(after.value.value).toBe(2);
    expect(after.value.inprogress).toBe(true);
    const high = await run(db, {
      findAndModify: name,
      query: { inprogress: false },
      sort: { priority: -1 },
      update: { $set: { inprogress: true } },
    });
    expect(high.value.priority).toBe(10);
  });

  it('expressions in fields are evaluated on the pre-image (new: false) or post-image (new: true)', async () => {
    const { db, name } = await seedQueue();
    const common = {
      findAndModify: name,
      query: { inprogress: false },
      sort: { priority: -1 },
      update: { $set: { inprogress: true }, $inc: { value: 1 } },
      fields: { priority: 1, inprogress: 1, computedField: { $add: ['$value', 2] } },
    };
    const pre = await run(db, { ...common, new: false });
    expect(pre.value.priority).toBe(10);
    expect(pre.value.inprogress).toBe(false);
    expect(pre.value.computedField).toBe(2);
    const post = await run(db, { ...common, new: true });
    expect(post.value.priority).toBe(9);
    expect(post.value.inprogress).toBe(true);
    expect(post.value.computedField).toBe(3);
  });

  it('remove: true (or 1) deletes by sort; no match returns value: null', async () => {
    const { db, name } = await seedQueue();
    const first = await run(db, { findAndModify: name, sort: { priority: 1 }, remove: true });
    expect(first.value.priority).toBe(1);
    const second = await run(db, { findAndModify: name, sort: { priority: 1 }, remove: 1 });
    expect(second.value.priority).toBe(2);
    const none = await run(db, { findAndModify: name, query: { no_such_field: 1 }, remove: 1 });
    expect(none.value).toBeNull();
  });

  it('an invalid projection ({$pop: ...}) fails with 31325 whether the doc matches, upserts or not', async () => {
    for (const [shouldMatch, upsert, isNew] of [
      [false, true, true],
      [true, true, true],
      [true, false, true],
      [true, true, false],
      [true, false, false],
    ]) {
      const { db, name } = fresh('fam');
      if (shouldMatch) await db.collection(name).insertOne({ _id: 'found' } as Document);
      const code = await codeOf(
        run(db, {
          findAndModify: name,
          query: { _id: shouldMatch ? 'found' : 'miss' },
          update: { $inc: { y: 1 } },
          fields: { foo: { $pop: ['bar'] } },
          upsert,
          new: isNew,
        }),
      );
      expect([shouldMatch, upsert, isNew, code]).toEqual([shouldMatch, upsert, isNew, 31325]);
    }
  });

  it('an upsert without new still has a value field, set to null (SERVER-17372)', async () => {
    const { db, name } = fresh('fam');
    const res = await run(db, {
      findAndModify: name,
      query: { _id: 'miss' },
      update: { $inc: { y: 1 } },
      upsert: true,
    });
    expect(Object.keys(res)).toContain('value');
    expect(res.value).toBeNull();
    const again = await run(db, {
      findAndModify: name,
      query: { _id: 'missagain' },
      update: { $inc: { y: 1 } },
      upsert: true,
      new: true,
    });
    expect(again.value._id).toBe('missagain');
    expect(await count(db, name)).toBe(2);
  });
});

describe('findAndModify: invalid combinations (find_and_modify_invalid.js, find_and_modify_invalid_query_params.js)', () => {
  async function seeded(): Promise<{ db: Db; name: string }> {
    const target = fresh('fami');
    await target.db.collection(target.name).insertMany([{ _id: 0 }, { _id: 1 }] as Document[]);
    return target;
  }

  it('neither update nor remove fails with 9 (FailedToParse)', async () => {
    const { db, name } = await seeded();
    expect(await codeOf(run(db, { findAndModify: name }))).toBe(9);
  });

  it('remove combined with update, upsert, new or arrayFilters fails with 9 (FailedToParse)', async () => {
    const { db, name } = await seeded();
    for (const extra of [
      { update: { value: 2 } },
      { query: { _id: 1 }, upsert: true },
      { new: true },
      { update: {}, arrayFilters: [{ 'x.a': { $gt: 85 } }] },
    ]) {
      const code = await codeOf(run(db, { findAndModify: name, remove: true, ...extra }));
      expect([extra, code]).toEqual([extra, 9]);
    }
  });

  it('a pipeline update with arrayFilters fails with 9 (FailedToParse)', async () => {
    const { db, name } = await seeded();
    const code = await codeOf(
      run(db, { findAndModify: name, update: [], arrayFilters: [{ 'x.a': { $gt: 85 } }] }),
    );
    expect(code).toBe(9);
  });

  it('a non-object query, sort or fields fails with 14 (TypeMismatch)', async () => {
    const { db, name } = await seeded();
    for (const field of ['query', 'sort', 'fields']) {
      for (const bad of [1, '{_id: 1}', false]) {
        const code = await codeOf(
          run(db, { findAndModify: name, [field]: bad, update: { value: 2 } }),
        );
        expect([field, bad, code]).toEqual([field, bad, 14]);
      }
    }
  });

  it('a numeric hint fails with 9 (FailedToParse); a name or key-pattern hint works', async () => {
    const { db, name } = await seeded();
    expect(
      await codeOf(
        run(db, { findAndModify: name, query: { _id: 0 }, update: { value: 'x' }, hint: 1 }),
      ),
    ).toBe(9);
    await createIndex(db.collection(name), { value: 1 }, { name: 'value' });
    const byName = await run(db, {
      findAndModify: name,
      query: { _id: 0 },
      update: { value: 'usedHint' },
      new: 1.0,
      hint: 'value',
      remove: 0.0,
    });
    expect(byName.value.value).toBe('usedHint');
    const byKey = await run(db, {
      findAndModify: name,
      query: { _id: 0, value: 'usedHint' },
      update: { value: 'newValue' },
      new: 0,
      hint: { _id: 1 },
      remove: 0,
    });
    expect(byKey.value.value).toBe('usedHint');
  });

  it('null query/sort/fields are accepted, and false/0 flags count as absent', async () => {
    const { db, name } = await seeded();
    const nulls = await run(db, {
      findAndModify: name,
      query: null,
      sort: null,
      fields: null,
      update: { value: 2 },
      new: true,
    });
    expect(nulls.value.value).toBe(2);
    const falsy = await run(db, {
      findAndModify: name,
      update: { value: 'newVal' },
      new: true,
      remove: false,
    });
    expect(falsy.value.value).toBe('newVal');
    const zero = await run(db, {
      findAndModify: name,
      query: { _id: 1 },
      update: { value: 'newerVal' },
      new: 1,
      remove: false,
      upsert: 1,
    });
    expect(zero.value).toEqual({ _id: 1, value: 'newerVal' });
  });

  it('a replacement upsert with new: false and no match returns null and inserts', async () => {
    const { db, name } = await seeded();
    const res = await run(db, {
      findAndModify: name,
      query: { _id: 2 },
      update: { value: 'newVal' },
      new: false,
      remove: false,
      upsert: true,
    });
    expect(res.value).toBeNull();
    expect(await db.collection(name).findOne({ _id: 2 } as Document)).toEqual({
      _id: 2,
      value: 'newVal',
    });
  });
});

describe('findAndModify: upserts, empty collections and lastErrorObject', () => {
  it('find_and_modify_last_error_object.js: upsert reports updatedExisting false, n 1, upserted = _id; remove reports n 1', async () => {
    const { db, name } = fresh('famle');
    const x = await run(db, {
      findAndModify: name,
      query: { f: 1 },
      update: { $set: { f: 2 } },
      upsert: true,
      new: true,
    });
    expect(x.lastErrorObject.updatedExisting).toBe(false);
    expect(x.lastErrorObject.n).toBe(1);
    expect(x.lastErrorObject.upserted).toEqual(x.value._id);
    const removed = await run(db, { findAndModify: name, query: { f: 2 }, remove: true });
    expect(removed.lastErrorObject.n).toBe(1);
  });

  it('find_and_modify_upsert.js: a counter via upsert + $inc + new counts 1, 2, 3 per key', async () => {
    const coll = h.freshColl('famu');
    const next = async (key: string) =>
      coll.findOneAndUpdate(
        { _id: key },
        { $inc: { val: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
    expect(await next('a')).toEqual({ _id: 'a', val: 1 });
    expect(await next('a')).toEqual({ _id: 'a', val: 2 });
    expect(await next('z')).toEqual({ _id: 'z', val: 1 });
    expect(await next('a')).toEqual({ _id: 'a', val: 3 });
  });

  it('find_and_modify_upsert.js: new: false returns null on the inserting upsert, then the pre-image', async () => {
    const coll = h.freshColl('famu');
    const helper = (upsert: boolean) =>
      coll.findOneAndUpdate({ _id: 'asdf' }, { $inc: { val: 1 } }, { upsert });
    expect(await helper(false)).toBeNull();
    expect(await coll.countDocuments()).toBe(0);
    expect(await helper(true)).toBeNull();
    expect(await coll.countDocuments()).toBe(1);
    expect(await helper(true)).toEqual({ _id: 'asdf', val: 1 });
    expect(await helper(false)).toEqual({ _id: 'asdf', val: 2 });
    const out = await coll.findOneAndUpdate(
      { a: 1 },
      { $set: { b: 2 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(out?._id).toBeDefined();
    expect(out?.a).toBe(1);
    expect(out?.b).toBe(2);
  });

  it('find_and_modify_empty_coll.js: on a missing collection remove/update return null and upsert+new returns the doc', async () => {
    const { db, name } = fresh('fame');
    expect((await run(db, { findAndModify: name, remove: true })).value).toBeNull();
    expect((await run(db, { findAndModify: name, update: { $inc: { i: 1 } } })).value).toBeNull();
    const upserted = await run(db, {
      findAndModify: name,
      query: { _id: 0 },
      update: { $inc: { i: 1 } },
      upsert: true,
      new: true,
    });
    expect(upserted.value).toEqual({ _id: 0, i: 1 });
    const other = fresh('fame');
    const projected = await run(other.db, {
      findAndModify: other.name,
      update: { $inc: { i: 1 } },
      upsert: true,
      fields: { z: 1 },
    });
    expect(projected.value).toBeNull();
  });

  it('find_and_modify_empty_update.js: update {} blanks all but _id; an upsert with {} stores only _id', async () => {
    const { db, name } = fresh('famx');
    const coll = db.collection(name);
    await coll.insertOne({ _id: 0, a: 1 } as Document);
    const pre = await run(db, { findAndModify: name, query: { a: 1 }, update: {} });
    expect(pre.value).toEqual({ _id: 0, a: 1 });
    expect(await coll.findOne({ _id: 0 } as Document)).toEqual({ _id: 0 });
    await coll.deleteMany({});
    const upsert = await run(db, {
      findAndModify: name,
      query: { _id: 0, a: 1 },
      update: {},
      upsert: true,
      sort: { a: 1 },
      new: true,
    });
    expect(upsert.value).toEqual({ _id: 0 });
    expect(await coll.findOne({ _id: 0 } as Document)).toEqual({ _id: 0 });
  });

  it('find_and_modify_new_upsert_sort.js: upsert + sort + new returns the stored document', async () => {
    const { db, name } = fresh('famn');
    const res = await run(db, {
      findAndModify: name,
      query: { foo: 'bar' },
      update: { $set: { bob: 'john' } },
      sort: { foo: 1 },
      upsert: true,
      new: true,
    });
    expect(res.value).toEqual(await db.collection(name).findOne());
    expect(res.value.foo).toBe('bar');
    expect(res.value.bob).toBe('john');
  });

  it('find_and_modify_fields.js: inclusion/exclusion projections on pre- and post-images', async () => {
    const { db, name } = fresh('famf');
    await db.collection(name).insertOne({ _id: 1, i: 0, j: 0 } as Document);
    const fam = async (extra: Document) =>
      (await run(db, { findAndModify: name, update: { $inc: { i: 1 } }, ...extra })).value;
    expect(await fam({ new: true, fields: { i: 1 } })).toEqual({ _id: 1, i: 1 });
    expect(await fam({ fields: { i: 0 } })).toEqual({ _id: 1, j: 0 });
    expect(await fam({ fields: { _id: 0, j: 1 } })).toEqual({ j: 0 });
    expect(await fam({ fields: { _id: 0, j: 1 }, new: true })).toEqual({ j: 0 });
  });
});

describe('findAndModify: positional projections (find_and_modify_positional_new_remove.js)', () => {
  const people = [
    { name: 'john', value: 1 },
    { name: 'jess', value: 2 },
    { name: 'jeff', value: 3 },
  ];

  it('remove with "b.$" after an $elemMatch query returns the matched element', async () => {
    const { db, name } = fresh('famp');
    await db.collection(name).insertOne({ _id: 42, b: people } as Document);
    const res = await run(db, {
      findAndModify: name,
      query: { b: { $elemMatch: { name: 'john', value: { $lt: 2 } } } },
      fields: { _id: 0, 'b.$': 1 },
      remove: true,
    });
    expect(res.value).toEqual({ b: [{ name: 'john', value: 1 }] });
  });

  it('new: false with "a.$" returns the matched element of the pre-image', async () => {
    const { db, name } = fresh('famp');
    await db.collection(name).insertOne({ _id: 42, a: [1, 2] } as Document);
    const res = await run(db, {
      findAndModify: name,
      query: { a: 2 },
      fields: { 'a.$': 1 },
      update: { $set: { 'b.kind': 'xyz' } },
      new: false,
    });
    expect(res.value).toEqual({ _id: 42, a: [2] });
  });

  it('new: true with a positional projection fails', async () => {
    const { db, name } = fresh('famp');
    await db.collection(name).insertOne({ _id: 42, a: [1, 2] } as Document);
    await errorOf(
      run(db, {
        findAndModify: name,
        query: { a: 2 },
        fields: { 'a.$': 1 },
        update: { $set: { 'b.kind': 'xyz' } },
        new: true,
      }),
    );
  });

  it('new: true with $elemMatch projects the post-image ($pop shifts the matched element)', async () => {
    const { db, name } = fresh('famp');
    await db.collection(name).insertOne({
      _id: 1,
      a: [
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ],
    } as Document);
    const res = await run(db, {
      findAndModify: name,
      query: { _id: 1 },
      fields: { a: { $elemMatch: { x: 1 } } },
      update: { $pop: { a: -1 } },
      new: true,
    });
    expect(res.value).toEqual({ _id: 1, a: [{ x: 1, y: 2 }] });
  });

  it('an inclusion projection value of 5 counts as true (fields {_id: 0, a: 5})', async () => {
    const { db, name } = fresh('famp');
    await db.collection(name).insertOne({ _id: 42, a: 5, b: people } as Document);
    const res = await run(db, {
      findAndModify: name,
      query: { b: { $elemMatch: { name: 'john', value: { $lt: 2 } } } },
      fields: { _id: 0, a: 5 },
      update: { $inc: { a: 6 } },
      new: true,
    });
    expect(res.value).toEqual({ a: 11 });
  });
});

describe('count command (query/count/*.js)', () => {
  it('count2.js: count ignores skip/limit unless applied; a negative skip fails with an errmsg', async () => {
    const { db, name } = fresh('cnt');
    await db
      .collection(name)
      .insertMany(Array.from({ length: 1000 }, (_, i) => ({ num: i, m: i % 20 })));
    expect((await run(db, { count: name })).n).toBe(1000);
    expect((await run(db, { count: name, query: { m: 5 } })).n).toBe(50);
    expect((await run(db, { count: name, query: { m: 5 }, skip: 10 })).n).toBe(40);
    expect((await run(db, { count: name, query: { m: 5 }, skip: 10, limit: 20 })).n).toBe(20);
    expect((await run(db, { count: name, query: { m: 5 }, skip: 45, limit: 20 })).n).toBe(5);
    const error = await errorOf(run(db, { count: name, skip: -2 }));
    expect(error.errmsg.length).toBeGreaterThan(0);
  });

  it('count5.js: skip beyond the end counts 0 and the command still answers ok', async () => {
    const { db, name } = fresh('cnt');
    await db.collection(name).insertMany(Array.from({ length: 100 }, (_, i) => ({ x: i })));
    const q = { x: { $gt: 25, $lte: 75 } };
    expect((await run(db, { count: name, query: q })).n).toBe(50);
    expect((await run(db, { count: name, query: q, limit: 1 })).n).toBe(1);
    expect((await run(db, { count: name, query: q, skip: 48, limit: 5 })).n).toBe(2);
    const beyond = await run(db, { count: name, skip: 120 });
    expect(beyond.ok).toBe(1);
    expect(beyond.n).toBe(0);
  });

  it('count6.js: a negative limit counts like its absolute value; limit 0 means no limit', async () => {
    const { db, name } = fresh('cnt');
    await db.collection(name).insertMany(Array.from({ length: 5 }, () => ({ a: 1, b: 0 })));
    const q = { a: 1, b: 0 };
    for (const limit of [1, 2]) {
      for (const skip of [0, 1, 2]) {
        const pos = (await run(db, { count: name, query: q, skip, limit })).n;
        const neg = (await run(db, { count: name, query: q, skip, limit: -limit })).n;
        expect([skip, limit, neg]).toEqual([skip, limit, pos]);
        expect(pos).toBe(Math.min(Math.max(5 - skip, 0), limit));
      }
    }
    expect((await run(db, { count: name, query: q, limit: 0 })).n).toBe(5);
    expect((await run(db, { count: name, query: q, limit: 0, skip: 2 })).n).toBe(3);
  });

  it('count11.js: an invalid predicate fails even when the collection does not exist', async () => {
    const { db, name } = fresh('cnt');
    expect((await run(db, { count: name, query: { a: 1 } })).n).toBe(0);
    await errorOf(run(db, { count: name, query: { a: { $invalid: 1 } } }));
    await db.createCollection(name);
    await errorOf(run(db, { count: name, query: { a: { $invalid: 1 } } }));
  });

  it('count.js: an unknown option fails with 40415 (IDLUnknownField)', async () => {
    const { db, name } = fresh('cnt');
    await db.collection(name).insertOne({ a: 1 });
    expect(await codeOf(run(db, { count: name, query: {}, random: true }))).toBe(40415);
  });

  it('count_hint.js: a sparse index hint is obeyed even when it gives the wrong count', async () => {
    const { db, name } = fresh('cnt');
    const coll = db.collection(name);
    await coll.insertMany([{ i: 1 }, { i: 2 }]);
    await createIndex(coll, { i: 1 });
    expect((await run(db, { count: name, hint: 'i_1' })).n).toBe(2);
    expect((await run(db, { count: name, query: { i: 1 }, hint: { _id: 1 } })).n).toBe(1);
    await createIndex(coll, { x: 1 }, { sparse: true });
    expect((await run(db, { count: name, hint: 'x_1' })).n).toBe(0);
    expect((await run(db, { count: name, query: { i: 1 }, hint: { x: 1 } })).n).toBe(0);
  });

  it('count_hint.js: a hint naming no index fails with 2 (BadValue) and says so', async () => {
    const { db, name } = fresh('cnt');
    await db.collection(name).insertMany([{ i: 1 }, { i: 2 }]);
    const error = await errorOf(run(db, { count: name, hint: { bad: 1, hint: 1 } }));
    expect(error.code).toBe(2);
    expect(error.errmsg).toMatch(/hint provided does not correspond to an existing index/);
    await errorOf(run(db, { count: name, query: { i: 1 }, hint: 'BAD HINT' }));
  });
});

describe('distinct command (query/distinct/*.js)', () => {
  it('distinct1.js: values, query filter, dotted keys and query: null', async () => {
    const { db, name } = fresh('dst');
    const coll = db.collection(name);
    expect((await run(db, { distinct: name, key: 'a' })).values).toEqual([]);
    await coll.insertMany([
      { a: 1, b: 2 },
      { a: 2, b: 2 },
      { a: 2, b: 1 },
      { a: 3, b: 2 },
      { a: 4, b: 1 },
    ]);
    const sorted = (values: unknown[]) => [...values].sort();
    expect(sorted((await run(db, { distinct: name, key: 'a' })).values)).toEqual([1, 2, 3, 4]);
    expect(sorted((await run(db, { distinct: name, key: 'a', query: null })).values)).toEqual([
      1, 2, 3, 4,
    ]);
    expect(sorted((await run(db, { distinct: name, key: 'a', query: { b: 2 } })).values)).toEqual([
      1, 2, 3,
    ]);
  });

  it('distinct1.js: a non-object query fails', async () => {
    const { db, name } = fresh('dst');
    await db.collection(name).insertOne({ a: 1 });
    await errorOf(run(db, { distinct: name, key: 'a', query: 1 }));
  });

  it('distinct_array1.js: numeric path components select array positions', async () => {
    const { db, name } = fresh('dst');
    await db
      .collection(name)
      .insertMany([{ a: [1, 2, 3] }, { a: [2, 3, 4] }, { a: [3, 4, 5] }, { a: 9 }]);
    const values = async (key: string) =>
      ((await run(db, { distinct: name, key })).values as number[]).sort();
    expect(await values('a')).toEqual([1, 2, 3, 4, 5, 9]);
    expect(await values('a.0')).toEqual([1, 2, 3]);
    expect(await values('a.1')).toEqual([2, 3, 4]);
  });

  it('distinct_array1.js: "a.0.b" / "a.1.b" through arrays of subdocuments, and "_id.a" inside _id', async () => {
    const { db, name } = fresh('dst');
    await db
      .collection(name)
      .insertMany([
        { a: [{ b: 'a' }, { b: 'd' }], c: 12 },
        { a: [{ b: 'b' }, { b: 'd' }], c: 12 },
        { a: [{ b: 'c' }, { b: 'e' }], c: 12 },
        { a: [{ b: 'c' }, { b: 'f' }], c: 12 },
        { a: [], c: 12 },
        { a: { b: 'z' }, c: 12 },
        { _id: { a: [1, 2, 3] } } as Document,
        { _id: { a: 9 } } as Document,
      ]);
    const values = async (key: string) =>
      (await run(db, { distinct: name, key })).values.map(String).sort();
    expect(await values('a.b')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'z']);
    expect(await values('a.0.b')).toEqual(['a', 'b', 'c']);
    expect(await values('a.1.b')).toEqual(['d', 'e', 'f']);
    expect(await values('_id.a')).toEqual(['1', '2', '3', '9']);
    expect(await values('_id.a.0')).toEqual(['1']);
  });
});
