import { Long, ObjectId, type CommandStartedEvent, type CommandSucceededEvent } from 'mongodb';
import {
  connectClient,
  createIndex,
  indexNames,
  pathOf,
  serverErrorOf,
  startHarness,
  stopHarness,
  type Doc,
  type Harness,
} from './harness';

let h: Harness;
const started: CommandStartedEvent[] = [];
const succeeded: CommandSucceededEvent[] = [];

beforeAll(async () => {
  h = await startHarness({}, { monitorCommands: true });
  h.client.on('commandStarted', (event) => started.push(event));
  h.client.on('commandSucceeded', (event) => succeeded.push(event));
});

afterAll(() => stopHarness(h));

beforeEach(() => {
  started.length = 0;
  succeeded.length = 0;
});

const commandNames = (dbName: string): string[] =>
  started.filter((e) => e.databaseName === dbName).map((e) => e.commandName);

const sortedNames = (items: { name: string }[]): string[] => items.map((i) => i.name).sort();

describe('handshake and server information', () => {
  it('hello reports a writable standalone with wire versions 0..21 and a session timeout', async () => {
    const hello = await h.client.db('admin').command({ hello: 1 });
    expect(hello.ok).toBe(1);
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBe(21);
    expect(hello.minWireVersion).toBe(0);
    expect(typeof hello.logicalSessionTimeoutMinutes).toBe('number');
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.localTime).toBeInstanceOf(Date);
    // a standalone, not a replica set member
    expect(hello.setName).toBeUndefined();
  });

  it('legacy isMaster answers ismaster: true with the same wire versions', async () => {
    const reply = await h.client.db('admin').command({ isMaster: 1 });
    expect(reply.ok).toBe(1);
    expect(reply.ismaster).toBe(true);
    expect(reply.maxWireVersion).toBe(21);
    expect(reply.minWireVersion).toBe(0);
  });

  it('ping answers ok: 1', async () => {
    const reply = await h.client.db('any').command({ ping: 1 });
    expect(reply.ok).toBe(1);
  });

  it('buildInfo reports a 7.0.x version (the release that speaks wire version 21)', async () => {
    const info = await h.client.db('admin').command({ buildInfo: 1 });
    expect(info.ok).toBe(1);
    expect(info.version).toMatch(/^7\.0\.\d+/);
    const versionArray = info.versionArray as unknown;
    expect(Array.isArray(versionArray)).toBe(true);
    expect((versionArray as number[]).slice(0, 2)).toEqual([7, 0]);
  });

  it('serverStatus reports the same version as buildInfo, an uptime and open connections', async () => {
    const admin = h.client.db('admin');
    const info = await admin.command({ buildInfo: 1 });
    const status = await admin.command({ serverStatus: 1 });
    expect(status.ok).toBe(1);
    expect(status.version).toBe(info.version);
    expect(typeof status.uptime).toBe('number');
    expect(status.uptime).toBeGreaterThanOrEqual(0);
    expect(status.localTime).toBeInstanceOf(Date);
    expect(pathOf(status, 'connections.current')).toEqual(expect.any(Number));
    expect(pathOf(status, 'connections.current') as number).toBeGreaterThanOrEqual(1);
  });

  it('an unknown command fails with code 59 CommandNotFound naming the command', async () => {
    const error = await serverErrorOf(h.client.db('admin').command({ frobnicate: 1 }));
    expect(error.code).toBe(59);
    expect(error.codeName).toBe('CommandNotFound');
    expect(error.message).toContain('frobnicate');
    // and the connection still works afterwards
    expect((await h.client.db('admin').command({ ping: 1 })).ok).toBe(1);
  });
});

describe('databases and collections', () => {
  it('listDatabases lists a database once it holds data, with size fields', async () => {
    const db = h.freshDb('listdb');
    await db.collection<Doc>('c').insertOne({ a: 1 });
    const reply = await h.client.db('admin').admin().listDatabases();
    const entry = reply.databases.find((d) => d.name === db.databaseName);
    expect(entry).toBeDefined();
    expect(typeof entry?.sizeOnDisk).toBe('number');
    expect(entry?.empty).toBe(false);
    expect(typeof reply.totalSize).toBe('number');
  });

  it('dropDatabase removes the database and all its collections', async () => {
    const db = h.freshDb('dropdb');
    await db.collection<Doc>('a').insertMany([{ x: 1 }, { x: 2 }]);
    await db.collection<Doc>('b').insertOne({ y: 1 });
    expect(await db.dropDatabase()).toBe(true);
    const names = (await h.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(names).not.toContain(db.databaseName);
    expect(await db.listCollections().toArray()).toEqual([]);
    expect(await db.collection<Doc>('a').countDocuments()).toBe(0);
  });

  it('create makes an empty collection; creating it again with other options fails with 48 (NamespaceExists)', async () => {
    const db = h.freshDb('create');
    await db.createCollection('things');
    const listed = await db.listCollections().toArray();
    expect(listed.map((c) => [c.name, c.type])).toEqual([['things', 'collection']]);
    expect(await db.collection<Doc>('things').countDocuments()).toBe(0);
    // (MongoDB >= 7.0 accepts a repeated create with identical options, so use different ones)
    const error = await serverErrorOf(
      db.createCollection('things', { collation: { locale: 'en', strength: 2 } }),
    );
    expect(error.code).toBe(48);
    expect(error.codeName).toBe('NamespaceExists');
  });

  it('create repeated with identical options succeeds, as in MongoDB 7.0', async () => {
    const db = h.freshDb('create-again');
    await db.createCollection('same');
    await db.collection<Doc>('same').insertOne({ kept: true });
    await expect(db.createCollection('same')).resolves.toBeDefined();
    expect(await db.collection<Doc>('same').countDocuments()).toBe(1);
  });

  it('drop removes a collection, its documents and its indexes', async () => {
    const db = h.freshDb('drop');
    const coll = db.collection<Doc>('gone');
    await coll.insertOne({ a: 1 });
    await createIndex(coll, { a: 1 });
    await db.collection<Doc>('kept').insertOne({ b: 1 });
    expect(await coll.drop()).toBe(true);
    expect(sortedNames(await db.listCollections().toArray())).toEqual(['kept']);
    expect(await coll.countDocuments()).toBe(0);
    await coll.insertOne({ a: 2 });
    expect(await indexNames(coll)).toEqual(['_id_']);
  });

  it('listCollections lists every collection and honours a name filter', async () => {
    const db = h.freshDb('listcoll');
    await db.collection<Doc>('alpha').insertOne({});
    await db.collection<Doc>('beta').insertOne({});
    await db.createCollection('gamma');
    expect(sortedNames(await db.listCollections().toArray())).toEqual(['alpha', 'beta', 'gamma']);
    const filtered = await db.listCollections({ name: 'beta' }).toArray();
    expect(filtered.map((c) => c.name)).toEqual(['beta']);
    const nameOnly = await db.listCollections({}, { nameOnly: true }).toArray();
    expect(sortedNames(nameOnly)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('renameCollection moves documents and indexes and refuses an existing target (48)', async () => {
    const db = h.freshDb('rename');
    const source = db.collection<Doc>('source');
    await source.insertMany([
      { _id: 1, k: 'a' },
      { _id: 2, k: 'b' },
    ]);
    await createIndex(source, { k: 1 }, { unique: true });
    await source.rename('target');
    expect(sortedNames(await db.listCollections().toArray())).toEqual(['target']);
    const target = db.collection<Doc>('target');
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, k: 'a' },
      { _id: 2, k: 'b' },
    ]);
    expect(await indexNames(target)).toEqual(['_id_', 'k_1']);

    await db.collection<Doc>('other').insertOne({ _id: 9 });
    const error = await serverErrorOf(db.collection<Doc>('other').rename('target'));
    expect(error.code).toBe(48);
    expect(await target.countDocuments()).toBe(2);

    await db.collection<Doc>('other').rename('target', { dropTarget: true });
    expect(await target.find().toArray()).toEqual([{ _id: 9 }]);
  });
});

describe('insert and find', () => {
  it('insertOne and insertMany report ids and counts; the server puts _id first', async () => {
    const coll = h.freshColl('insert');
    const one = await coll.insertOne({ a: 1, b: 2 });
    expect(one.acknowledged).toBe(true);
    expect(one.insertedId).toBeInstanceOf(ObjectId);
    const many = await coll.insertMany([{ n: 1 }, { n: 2 }, { _id: 'custom', n: 3 }]);
    expect(many.insertedCount).toBe(3);
    expect(many.insertedIds[2]).toBe('custom');
    const stored = await coll.findOne({ _id: one.insertedId });
    expect(Object.keys(stored ?? {})).toEqual(['_id', 'a', 'b']);
    expect(await coll.countDocuments()).toBe(4);
  });

  it('an insert command without _id gets a server-generated ObjectId', async () => {
    const db = h.freshDb('rawinsert');
    const reply = await db.command({ insert: 'c', documents: [{ a: 1 }, { a: 2 }] });
    expect(reply.n).toBe(2);
    const docs = await db.collection<Doc>('c').find().sort({ a: 1 }).toArray();
    expect(docs.map((d) => d.a as unknown)).toEqual([1, 2]);
    expect(docs[0]?._id).toBeInstanceOf(ObjectId);
    expect(docs[1]?._id).toBeInstanceOf(ObjectId);
    expect(docs[0]?._id).not.toEqual(docs[1]?._id);
  });

  it('find applies filter, sort, projection, skip and limit', async () => {
    const coll = h.freshDb('find').collection<Doc>('people');
    await coll.insertMany(
      Array.from({ length: 10 }, (_, i) => ({ _id: i, age: i * 10, name: `p${i}`, secret: 'x' })),
    );
    const docs = await coll
      .find({ age: { $gte: 20 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(3)
      .project({ name: 1 })
      .toArray();
    expect(docs).toEqual([
      { _id: 8, name: 'p8' },
      { _id: 7, name: 'p7' },
      { _id: 6, name: 'p6' },
    ]);
    const excluded = await coll.find({ _id: 3 }).project({ secret: 0, _id: 0 }).toArray();
    expect(excluded).toEqual([{ age: 30, name: 'p3' }]);
  });

  it('batchSize splits results into a first batch and getMore batches', async () => {
    const db = h.freshDb('batches');
    const coll = db.collection<Doc>('c');
    await coll.insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: i })));
    started.length = 0;
    const docs = await coll.find().sort({ _id: 1 }).batchSize(3).toArray();
    expect(docs.map((d) => d._id as unknown)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const names = commandNames(db.databaseName);
    expect(names[0]).toBe('find');
    // 7 documents in batches of 3: find returns 3, then getMores return 3 and 1
    expect(names.filter((n) => n === 'getMore').length).toBeGreaterThanOrEqual(2);
    const firstBatch = succeeded.find(
      (e) => e.commandName === 'find' && e.databaseName === db.databaseName,
    );
    expect(pathOf(firstBatch?.reply, 'cursor.firstBatch')).toHaveLength(3);
  });

  it('closing a cursor early sends killCursors and the cursor is gone (getMore fails with 43)', async () => {
    const db = h.freshDb('kill');
    const coll = db.collection<Doc>('c');
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i })));
    const cursor = coll.find().batchSize(2);
    expect(await cursor.next()).toEqual({ _id: 0 });
    const id = cursor.id;
    expect(id).toBeInstanceOf(Long);
    expect(id?.isZero()).toBe(false);
    await cursor.close();
    const killed = succeeded.find(
      (e) => e.commandName === 'killCursors' && e.databaseName === db.databaseName,
    );
    expect(killed).toBeDefined();
    const cursorsKilled = pathOf(killed?.reply, 'cursorsKilled') as unknown[];
    expect(cursorsKilled.map((c) => String(c))).toEqual([String(id)]);
    const error = await serverErrorOf(db.command({ getMore: id, collection: 'c' }));
    expect(error.code).toBe(43);
  });

  it('a cursor that is exhausted in its first batch has id 0', async () => {
    const db = h.freshDb('exhaust');
    await db.collection<Doc>('c').insertMany([{ a: 1 }, { a: 2 }]);
    const reply = await db.command({ find: 'c', filter: {} }, { promoteLongs: false });
    expect(pathOf(reply, 'cursor.id')).toEqual(Long.ZERO);
    expect(pathOf(reply, 'cursor.ns')).toBe(`${db.databaseName}.c`);
    expect(pathOf(reply, 'cursor.firstBatch')).toHaveLength(2);
  });
});

describe('update, delete and findAndModify', () => {
  it('updateOne changes one document, updateMany all matches; counts are reported', async () => {
    const coll = h.freshColl('update');
    await coll.insertMany([
      { _id: 1, g: 'a', n: 0 },
      { _id: 2, g: 'a', n: 0 },
      { _id: 3, g: 'b', n: 0 },
    ]);
    const one = await coll.updateOne({ g: 'a' }, { $set: { n: 1 } });
    expect([one.matchedCount, one.modifiedCount, one.upsertedCount]).toEqual([1, 1, 0]);
    const many = await coll.updateMany({ g: 'a' }, { $inc: { n: 10 } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
    expect(
      (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.n as unknown).sort(),
    ).toEqual([0, 10, 11]);
    const noop = await coll.updateOne({ _id: 3 }, { $set: { n: 0 } });
    expect([noop.matchedCount, noop.modifiedCount]).toEqual([1, 0]);
    const none = await coll.updateMany({ g: 'zzz' }, { $set: { n: 5 } });
    expect([none.matchedCount, none.modifiedCount]).toEqual([0, 0]);
  });

  it('the raw update command with multi: true updates every match', async () => {
    const db = h.freshDb('multi');
    await db.collection<Doc>('c').insertMany([{ t: 1 }, { t: 1 }, { t: 2 }]);
    const reply = await db.command({
      update: 'c',
      updates: [{ q: { t: 1 }, u: { $set: { seen: true } }, multi: true }],
    });
    expect(reply.n).toBe(2);
    expect(reply.nModified).toBe(2);
    expect(await db.collection<Doc>('c').countDocuments({ seen: true })).toBe(2);
  });

  it('upsert inserts the equality fields of the filter plus the update', async () => {
    const coll = h.freshColl('upsert');
    const res = await coll.updateOne(
      { key: 'k1', n: { $gt: 5 } },
      { $set: { v: 1 } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    expect(res.matchedCount).toBe(0);
    expect(res.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await coll.findOne(
      { _id: res.upsertedId ?? undefined },
      { projection: { _id: 0 } },
    );
    expect(doc).toEqual({ key: 'k1', v: 1 });
  });

  it('$setOnInsert applies only when the upsert inserts', async () => {
    const coll = h.freshColl('setoninsert');
    const update = { $set: { seen: 1 }, $setOnInsert: { createdBy: 'first' } };
    await coll.updateOne({ _id: 'x' }, update, { upsert: true });
    expect(await coll.findOne({ _id: 'x' })).toEqual({
      _id: 'x',
      seen: 1,
      createdBy: 'first',
    });
    const second = await coll.updateOne(
      { _id: 'x' },
      { $set: { seen: 2 }, $setOnInsert: { createdBy: 'second' } },
      { upsert: true },
    );
    expect([second.matchedCount, second.modifiedCount, second.upsertedCount]).toEqual([1, 1, 0]);
    expect(await coll.findOne({ _id: 'x' })).toEqual({
      _id: 'x',
      seen: 2,
      createdBy: 'first',
    });
  });

  it('arrayFilters restrict which array elements an update touches', async () => {
    const coll = h.freshColl('arrayfilters');
    await coll.insertOne({ _id: 1, grades: [95, 102, 90, 150] });
    await coll.updateOne(
      { _id: 1 },
      { $set: { 'grades.$[g]': 100 } },
      { arrayFilters: [{ g: { $gte: 100 } }] },
    );
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, grades: [95, 100, 90, 100] });
  });

  it('replaceOne swaps the whole document but keeps _id', async () => {
    const coll = h.freshColl('replace');
    await coll.insertOne({ _id: 1, a: 1, b: 2 });
    const res = await coll.replaceOne({ _id: 1 }, { c: 3 });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 1]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
  });

  it('deleteOne removes one match and deleteMany all matches', async () => {
    const coll = h.freshColl('delete');
    await coll.insertMany([{ t: 'x' }, { t: 'x' }, { t: 'x' }, { t: 'y' }]);
    expect((await coll.deleteOne({ t: 'x' })).deletedCount).toBe(1);
    expect(await coll.countDocuments({ t: 'x' })).toBe(2);
    expect((await coll.deleteMany({ t: 'x' })).deletedCount).toBe(2);
    expect((await coll.deleteMany({ t: 'nothing' })).deletedCount).toBe(0);
    expect(await coll.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ t: 'y' }]);
  });

  it('findOneAndUpdate returns the document before or after, honouring sort', async () => {
    const coll = h.freshColl('fam');
    await coll.insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 5 },
    ]);
    const before = await coll.findOneAndUpdate(
      {},
      { $inc: { n: 1 } },
      { sort: { n: -1 }, returnDocument: 'before' },
    );
    expect(before).toEqual({ _id: 2, n: 5 });
    const after = await coll.findOneAndUpdate(
      { _id: 2 },
      { $inc: { n: 1 } },
      { returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 2, n: 7 });
    const missing = await coll.findOneAndUpdate({ _id: 99 }, { $set: { n: 0 } });
    expect(missing).toBeNull();
    expect(await coll.countDocuments()).toBe(2);
  });

  it('findOneAndUpdate with upsert inserts and reports it in lastErrorObject', async () => {
    const coll = h.freshColl('famupsert');
    const res = await coll.findOneAndUpdate(
      { _id: 'u' },
      { $set: { v: 1 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(res.value).toEqual({ _id: 'u', v: 1 });
    expect(res.lastErrorObject?.updatedExisting).toBe(false);
    expect(res.lastErrorObject?.upserted).toBe('u');
    expect(res.lastErrorObject?.n).toBe(1);
    const beforeUpsert = await coll.findOneAndUpdate(
      { _id: 'w' },
      { $set: { v: 2 } },
      { upsert: true, returnDocument: 'before' },
    );
    expect(beforeUpsert).toBeNull();
    expect(await coll.findOne({ _id: 'w' })).toEqual({ _id: 'w', v: 2 });
  });

  it('findOneAndDelete and findOneAndReplace return the affected document', async () => {
    const coll = h.freshColl('famdel');
    await coll.insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
      { _id: 3, n: 3 },
    ]);
    expect(await coll.findOneAndDelete({ n: { $gte: 2 } }, { sort: { n: 1 } })).toEqual({
      _id: 2,
      n: 2,
    });
    expect(await coll.countDocuments()).toBe(2);
    const replacedBefore = await coll.findOneAndReplace({ _id: 3 }, { m: 'x' });
    expect(replacedBefore).toEqual({ _id: 3, n: 3 });
    const replacedAfter = await coll.findOneAndReplace(
      { _id: 1 },
      { m: 'y' },
      { returnDocument: 'after' },
    );
    expect(replacedAfter).toEqual({ _id: 1, m: 'y' });
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, m: 'y' },
      { _id: 3, m: 'x' },
    ]);
  });
});

describe('aggregation, counting and distinct', () => {
  it('aggregate runs $match, $group, $sort and $project', async () => {
    const coll = h.freshDb('agg').collection<Doc>('sales');
    await coll.insertMany([
      { item: 'a', qty: 2, price: 10 },
      { item: 'b', qty: 1, price: 5 },
      { item: 'a', qty: 3, price: 10 },
      { item: 'c', qty: 7, price: 1 },
      { item: 'b', qty: 6, price: 5 },
    ]);
    const out = await coll
      .aggregate([
        { $match: { price: { $gte: 5 } } },
        { $group: { _id: '$item', total: { $sum: '$qty' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $project: { _id: 0, item: '$_id', total: 1, n: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { item: 'b', total: 7, n: 2 },
      { item: 'a', total: 5, n: 2 },
    ]);
  });

  it('aggregate groups everything under _id null with $avg, $min, $max, then $skip/$limit', async () => {
    const coll = h.freshColl('aggnull');
    await coll.insertMany([
      { _id: 1, v: 2 },
      { _id: 2, v: 4 },
      { _id: 3, v: 9 },
    ]);
    const summary = await coll
      .aggregate([
        { $group: { _id: null, avg: { $avg: '$v' }, min: { $min: '$v' }, max: { $max: '$v' } } },
      ])
      .toArray();
    expect(summary).toEqual([{ _id: null, avg: 5, min: 2, max: 9 }]);
    const page = await coll
      .aggregate([{ $sort: { v: -1 } }, { $skip: 1 }, { $limit: 1 }, { $addFields: { w: 1 } }])
      .toArray();
    expect(page).toEqual([{ _id: 2, v: 4, w: 1 }]);
  });

  it('aggregate runs $lookup then $unwind', async () => {
    const db = h.freshDb('lookup');
    await db.collection<Doc>('authors').insertMany([
      { _id: 1, name: 'Ann' },
      { _id: 2, name: 'Bob' },
    ]);
    await db.collection<Doc>('books').insertMany([
      { _id: 10, title: 'X', authorId: 1 },
      { _id: 11, title: 'Y', authorId: 2 },
      { _id: 12, title: 'Z', authorId: 1 },
    ]);
    const out = await db
      .collection('books')
      .aggregate([
        {
          $lookup: { from: 'authors', localField: 'authorId', foreignField: '_id', as: 'author' },
        },
        { $unwind: '$author' },
        { $sort: { _id: 1 } },
        { $project: { _id: 0, title: 1, name: '$author.name' } },
      ])
      .toArray();
    expect(out).toEqual([
      { title: 'X', name: 'Ann' },
      { title: 'Y', name: 'Bob' },
      { title: 'Z', name: 'Ann' },
    ]);
  });

  it('$unwind produces one document per array element and $count counts them', async () => {
    const coll = h.freshColl('unwind');
    await coll.insertMany([{ tags: ['a', 'b', 'c'] }, { tags: ['d'] }, { tags: [] }, { x: 1 }]);
    const unwound = await coll
      .aggregate([{ $unwind: '$tags' }, { $project: { _id: 0, tags: 1 } }])
      .toArray();
    expect(unwound.map((d) => d.tags as unknown).sort()).toEqual(['a', 'b', 'c', 'd']);
    const counted = await coll.aggregate([{ $unwind: '$tags' }, { $count: 'n' }]).toArray();
    expect(counted).toEqual([{ n: 4 }]);
  });

  it('estimatedDocumentCount and countDocuments (with filter, skip, limit) count correctly', async () => {
    const coll = h.freshColl('count');
    await coll.insertMany(Array.from({ length: 12 }, (_, i) => ({ i, even: i % 2 === 0 })));
    expect(await coll.estimatedDocumentCount()).toBe(12);
    expect(await coll.countDocuments()).toBe(12);
    expect(await coll.countDocuments({ even: true })).toBe(6);
    expect(await coll.countDocuments({ i: { $gte: 3 } }, { skip: 2, limit: 4 })).toBe(4);
    expect(await coll.countDocuments({ i: { $gte: 10 } }, { skip: 1 })).toBe(1);
    expect(await coll.countDocuments({ nope: 1 })).toBe(0);
  });

  it('distinct returns each value once, unwinding arrays, honouring a filter', async () => {
    const coll = h.freshColl('distinct');
    await coll.insertMany([
      { city: 'Oslo', tags: ['x', 'y'], ok: true },
      { city: 'Rome', tags: ['y'], ok: true },
      { city: 'Oslo', tags: 'z', ok: false },
      { other: 1 },
    ]);
    expect((await coll.distinct('city')).sort()).toEqual(['Oslo', 'Rome']);
    expect((await coll.distinct('tags')).sort()).toEqual(['x', 'y', 'z']);
    expect((await coll.distinct('city', { ok: false })).sort()).toEqual(['Oslo']);
  });
});

describe('indexes, sessions, stats and explain', () => {
  it('createIndexes, listIndexes and dropIndexes manage index definitions', async () => {
    const coll = h.freshColl('indexes');
    await coll.insertOne({ a: 1, b: 2 });
    const names = await coll.createIndexes([
      { key: { a: 1 } },
      { key: { b: -1 }, name: 'b_desc', unique: true },
    ]);
    expect(names).toEqual(['a_1', 'b_desc']);
    // creating an identical index again is a no-op, not an error
    expect(await createIndex(coll, { a: 1 })).toBe('a_1');
    const listed = await coll.indexes();
    expect(listed.map((i) => [i.name, i.key, i.unique === true])).toEqual([
      ['_id_', { _id: 1 }, false],
      ['a_1', { a: 1 }, false],
      ['b_desc', { b: -1 }, true],
    ]);
    await coll.dropIndex('a_1');
    expect(await indexNames(coll)).toEqual(['_id_', 'b_desc']);
    const missing = await serverErrorOf(coll.dropIndex('a_1'));
    expect(missing.code).toBe(27);
    const idIndex = await serverErrorOf(coll.dropIndex('_id_'));
    expect(idIndex.code).toBe(72);
    await coll.dropIndexes();
    expect(await indexNames(coll)).toEqual(['_id_']);
    // the documents are untouched
    expect(await coll.countDocuments()).toBe(1);
  });

  it('listIndexes on a collection that does not exist fails with 26 (NamespaceNotFound)', async () => {
    const error = await serverErrorOf(h.freshColl('noindexes').indexes());
    expect(error.code).toBe(26);
  });

  it('endSessions is accepted explicitly and sent by client.close()', async () => {
    const session = h.client.startSession();
    await h.freshColl('sess').findOne({}, { session });
    const reply = await h.client.db('admin').command({ endSessions: [session.id] });
    expect(reply.ok).toBe(1);
    await session.endSession();

    const second = await connectClient(h.server.uri, { monitorCommands: true });
    const outcomes: string[] = [];
    const relevant = (name: string) => name === 'insert' || name === 'endSessions';
    second.on('commandSucceeded', (e) => {
      if (relevant(e.commandName)) outcomes.push(`${e.commandName}:ok`);
    });
    second.on('commandFailed', (e) => {
      if (relevant(e.commandName)) outcomes.push(`${e.commandName}:failed`);
    });
    await second.db('sess2').collection('c').insertOne({ a: 1 });
    await second.close();
    expect(outcomes).toEqual(['insert:ok', 'endSessions:ok']);
  });

  it('collStats and dbStats report counts of documents, collections and indexes', async () => {
    const db = h.freshDb('stats');
    await db.collection<Doc>('a').insertMany([{ x: 1 }, { x: 2 }, { x: 3 }]);
    await createIndex(db.collection<Doc>('a'), { x: 1 });
    await db.collection<Doc>('b').insertMany([{ y: 1 }, { y: 2 }]);
    const coll = await db.command({ collStats: 'a' });
    expect(coll.ok).toBe(1);
    expect(coll.ns).toBe(`${db.databaseName}.a`);
    expect(coll.count).toBe(3);
    expect(coll.nindexes).toBe(2);
    expect(typeof coll.size).toBe('number');
    expect(coll.size).toBeGreaterThan(0);
    const stats = await db.stats();
    expect(stats.ok).toBe(1);
    expect(stats.db).toBe(db.databaseName);
    expect(stats.collections).toBe(2);
    expect(stats.objects).toBe(5);
    expect(stats.indexes).toBe(3);
  });

  it('explain on a find returns a queryPlanner with a winning plan for the namespace', async () => {
    const db = h.freshDb('explain');
    const coll = db.collection<Doc>('c');
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    const plan = await coll.find({ a: 1 }).explain();
    expect(typeof plan.queryPlanner).toBe('object');
    expect(pathOf(plan, 'queryPlanner.namespace')).toBe(`${db.databaseName}.c`);
    expect(typeof pathOf(plan, 'queryPlanner.winningPlan')).toBe('object');
    // explain does not return or alter documents
    expect(await coll.countDocuments()).toBe(2);
  });
});
