import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../src';
import {
  bsonTypeOf,
  createIndex,
  indexNames,
  pollUntil,
  rejectionOf,
  serverErrorOf,
  startHarness,
  stopHarness,
  type Doc,
  type Harness,
} from './harness';

let tmpDir: string;

beforeAll(async () => {
  tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-test-'));
});

afterAll(async () => {
  await fs.rm(tmpDir, { recursive: true, force: true });
});

describe('TTL indexes', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  const start = new Date('2024-03-01T12:00:00.000Z');
  const after = (seconds: number) => new Date(start.getTime() + seconds * 1000);

  it('the TTL monitor deletes expired documents and keeps fresh, undated and non-date ones', async () => {
    // the test's clock: the monitor reads it, the test moves it
    let now = start;
    h = await startHarness({ clock: () => now });
    const coll = h.freshColl('ttl');
    await createIndex(coll, { createdAt: 1 }, { expireAfterSeconds: 60 });
    await coll.insertMany([
      { _id: 'old', createdAt: after(-30) },
      // with an array of dates the earliest one counts
      { _id: 'old-in-array', createdAt: [after(3600), after(-30)] },
      { _id: 'now', createdAt: start },
      { _id: 'future', createdAt: after(3600) },
      { _id: 'no-field' },
      { _id: 'not-a-date', createdAt: '2000-01-01T00:00:00Z' },
    ]);
    const ids = async () => (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    const all = ['future', 'no-field', 'not-a-date', 'now', 'old', 'old-in-array'];

    expect(h.server.ttlMonitor.runOnce()).toBe(0);
    expect(await ids()).toEqual(all);
    now = after(29);
    expect(h.server.ttlMonitor.runOnce()).toBe(0);
    now = after(30);
    expect(h.server.ttlMonitor.runOnce()).toBe(2);
    expect(await ids()).toEqual(['future', 'no-field', 'not-a-date', 'now']);
    // a time given to runOnce wins over the clock: 'now' expires exactly 60 s after its date
    expect(h.server.ttlMonitor.runOnce(after(59))).toBe(0);
    expect(h.server.ttlMonitor.runOnce(after(60))).toBe(1);
    expect(await ids()).toEqual(['future', 'no-field', 'not-a-date']);
    now = after(3 * 3600);
    expect(h.server.ttlMonitor.runOnce()).toBe(1);
    expect(await ids()).toEqual(['no-field', 'not-a-date']);
  });

  it('without a clock the monitor compares with the system time', async () => {
    h = await startHarness();
    const coll = h.freshColl('ttl');
    await createIndex(coll, { createdAt: 1 }, { expireAfterSeconds: 60 });
    await coll.insertMany([
      { _id: 'hour-ago', createdAt: new Date(Date.now() - 3_600_000) },
      { _id: 'just-now', createdAt: new Date() },
    ]);
    expect(h.server.ttlMonitor.runOnce()).toBe(1);
    expect((await coll.find().toArray()).map((d) => d._id)).toEqual(['just-now']);
  });
});

describe('persistence to dataFile', () => {
  const oid = new ObjectId('65a1b2c3d4e5f60718293a4b');

  it('documents with exact types, collections and indexes survive a stop and restart', async () => {
    const dataFile = path.join(tmpDir, 'roundtrip.bson');
    const first = await startHarness({ dataFile });
    try {
      const db = first.client.db('app');
      const people = db.collection<Doc>('people');
      await people.insertMany([
        {
          _id: oid,
          email: 'a@x.io',
          i32: new Int32(7),
          long: Long.fromString('9007199254740993'),
          dbl: new Double(1),
          dec: Decimal128.fromString('1.50'),
          date: new Date('2024-01-02T03:04:05.678Z'),
          bin: new Binary(Buffer.from([1, 2, 3]), 0x80),
          nothing: null,
          nested: [1, [2, [3]]],
          sub: { a: { b: 'c' } },
        },
        { _id: new ObjectId(), email: 'b@x.io', i32: new Int32(8) },
      ]);
      await createIndex(people, { email: 1 }, { unique: true });
      await createIndex(people, { i32: 1, email: -1 }, { name: 'compound' });
      await createIndex(people, { date: 1 }, { expireAfterSeconds: 3600 });
      await db.createCollection('empty');
      await db.collection<Doc>('dropped').insertOne({ x: 1 });
      await db.collection<Doc>('dropped').drop();
      await first.client.db('other').collection<Doc>('c').insertOne({ _id: 1, v: 'other db' });
    } finally {
      await first.stop();
    }
    expect((await fs.stat(dataFile)).size).toBeGreaterThan(0);

    const second = await startHarness({ dataFile });
    try {
      const db = second.client.db('app');
      const names = (await db.listCollections().toArray()).map((c) => c.name).sort();
      expect(names).toEqual(['empty', 'people']);
      const people = db.collection<Doc>('people');
      expect(await people.countDocuments()).toBe(2);
      const doc = await people.findOne({ _id: oid }, { promoteValues: false });
      if (!doc) throw new Error('document lost');
      expect(Object.keys(doc)).toEqual([
        '_id',
        'email',
        'i32',
        'long',
        'dbl',
        'dec',
        'date',
        'bin',
        'nothing',
        'nested',
        'sub',
      ]);
      expect(bsonTypeOf(doc.i32)).toBe('Int32');
      expect((doc.i32 as Int32).value).toBe(7);
      expect(bsonTypeOf(doc.long)).toBe('Long');
      expect((doc.long as Long).toString()).toBe('9007199254740993');
      expect(bsonTypeOf(doc.dbl)).toBe('Double');
      expect((doc.dbl as Double).value).toBe(1);
      expect(bsonTypeOf(doc.dec)).toBe('Decimal128');
      expect((doc.dec as Decimal128).toString()).toBe('1.50');
      expect(doc.date).toEqual(new Date('2024-01-02T03:04:05.678Z'));
      expect((doc.bin as Binary).sub_type).toBe(0x80);
      expect(Buffer.from((doc.bin as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));
      expect(doc.nothing).toBeNull();
      expect(
        await people.findOne({ _id: oid }, { projection: { nested: 1, sub: 1, _id: 0 } }),
      ).toEqual({ nested: [1, [2, [3]]], sub: { a: { b: 'c' } } });

      const indexes = await people.indexes();
      expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'compound', 'date_1', 'email_1']);
      const byName = new Map(indexes.map((i) => [i.name, i]));
      expect(byName.get('email_1')?.unique).toBe(true);
      expect(byName.get('email_1')?.key).toEqual({ email: 1 });
      expect(byName.get('compound')?.key).toEqual({ i32: 1, email: -1 });
      expect(byName.get('date_1')?.expireAfterSeconds).toBe(3600);
      // the restored unique index is enforced, not just listed
      const dup = await serverErrorOf(people.insertOne({ email: 'a@x.io' }));
      expect(dup.code).toBe(11000);

      expect(await second.client.db('other').collection<Doc>('c').findOne({ _id: 1 })).toEqual({
        _id: 1,
        v: 'other db',
      });
    } finally {
      await second.stop();
    }
  });

  it('a missing dataFile starts an empty store and is created on stop', async () => {
    const dataFile = path.join(tmpDir, 'fresh.bson');
    const h = await startHarness({ dataFile });
    try {
      expect(await h.client.db('app').listCollections().toArray()).toEqual([]);
      await h.client.db('app').collection<Doc>('c').insertOne({ _id: 1 });
    } finally {
      await h.stop();
    }
    expect((await fs.stat(dataFile)).isFile()).toBe(true);
  });

  it('a dataFile in use by a running store is refused, naming it, until that store stops', async () => {
    const dataFile = path.join(tmpDir, 'locked.bson');
    const first = await startEmbeddedMongo({ dataFile });
    try {
      await expect(startEmbeddedMongo({ dataFile })).rejects.toThrow(
        /data file .*locked\.bson is in use/,
      );
      expect(await fs.readFile(`${dataFile}.lock`, 'utf8')).toBe(String(process.pid));
    } finally {
      await first.stop();
    }
    await expect(fs.stat(`${dataFile}.lock`)).rejects.toThrow(/ENOENT/);
    const second = await startEmbeddedMongo({ dataFile });
    await second.stop();
  });

  it('a lock left by a process that no longer runs is taken over', async () => {
    const dataFile = path.join(tmpDir, 'stale.bson');
    await fs.writeFile(`${dataFile}.lock`, '2147483646');
    const store = await startEmbeddedMongo({ dataFile });
    try {
      expect(await fs.readFile(`${dataFile}.lock`, 'utf8')).toBe(String(process.pid));
    } finally {
      await store.stop();
    }
  });

  it('with snapshotSeconds the store is written while running, as a loadable snapshot', async () => {
    const dataFile = path.join(tmpDir, 'interval.bson');
    const copy = path.join(tmpDir, 'interval-copy.bson');
    const running = await startHarness({ dataFile, snapshotSeconds: 1 });
    try {
      await running.client.db('app').collection<Doc>('c').insertOne({ _id: 1, v: 'snap' });
      const written = await pollUntil(async () => {
        try {
          return (await fs.stat(dataFile)).size > 0;
        } catch {
          return false;
        }
      }, 5000);
      expect(written).toBe(true);
      await fs.copyFile(dataFile, copy);
    } finally {
      await running.stop();
    }
    const fromCopy = await startHarness({ dataFile: copy });
    try {
      expect(await fromCopy.client.db('app').collection<Doc>('c').findOne({ _id: 1 })).toEqual({
        _id: 1,
        v: 'snap',
      });
    } finally {
      await fromCopy.stop();
    }
  }, 15_000);

  it('a garbage dataFile makes start reject naming the file, and leaves the file untouched', async () => {
    const dataFile = path.join(tmpDir, 'garbage.bson');
    const garbage = Buffer.concat([
      Buffer.from('this is definitely not a BSON snapshot\n'),
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)),
    ]);
    await fs.writeFile(dataFile, garbage);
    const error = await rejectionOf(startEmbeddedMongo({ port: 0, dataFile }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(dataFile);
    expect(await fs.readFile(dataFile)).toEqual(garbage);
  });

  it('a truncated snapshot makes start reject naming the file, and leaves the file untouched', async () => {
    const dataFile = path.join(tmpDir, 'truncated.bson');
    const h = await startHarness({ dataFile });
    try {
      await h.client
        .db('app')
        .collection<Doc>('c')
        .insertMany(
          Array.from({ length: 50 }, (_, i) => ({ _id: i, text: `document number ${i}` })),
        );
    } finally {
      await h.stop();
    }
    const full = await fs.readFile(dataFile);
    const truncated = full.subarray(0, Math.floor(full.length / 2));
    await fs.writeFile(dataFile, truncated);
    const error = await rejectionOf(startEmbeddedMongo({ port: 0, dataFile }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(dataFile);
    expect(await fs.readFile(dataFile)).toEqual(truncated);
  });
});

describe('index metadata', () => {
  let h: Harness | undefined;

  afterAll(() => stopHarness(h));

  it('a TTL index lists its expireAfterSeconds', async () => {
    h = await startHarness();
    const coll = h.freshColl('ttlmeta');
    await createIndex(coll, { at: 1 }, { expireAfterSeconds: 120 });
    expect(await indexNames(coll)).toEqual(['_id_', 'at_1']);
    const ttl = (await coll.indexes()).find((i) => i.name === 'at_1');
    expect(ttl?.expireAfterSeconds).toBe(120);
  });
});
