import { ChildProcess, spawn } from 'child_process';
import * as fsSync from 'fs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src';
import { encodeRecord, Journal } from '../src/runtime/journal';
import { connectClient, pollUntil, rejectionOf, startHarness } from './harness';

let tmpDir: string;

beforeAll(async () => {
  // the real path: the store names its journal files after the data file's real path
  tmpDir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-journal-')));
});

afterAll(async () => {
  await fs.rm(tmpDir, { recursive: true, force: true });
});

const CHILD = path.join(__dirname, 'crash', 'store-child.ts');
const REGISTER = path.join(__dirname, 'crash', 'register-ts.js');

/** Starts a store in a child process on dataFile and resolves with it and its uri. */
function startChild(dataFile: string, snapshotSeconds: number): Promise<[ChildProcess, string]> {
  const child = spawn(
    process.execPath,
    ['-r', REGISTER, CHILD, dataFile, String(snapshotSeconds)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve([child, line.trim()]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      reject(new Error(`store child exited (${String(code)}) before listening: ${err}`));
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}

interface Acknowledged {
  inserted: Set<string>;
  deleted: Set<string>;
  /** Deletes sent but not answered when the store died: applied or not, either is right. */
  unansweredDeletes: Set<string>;
  /** Acknowledged $inc of the counter, and those sent but not answered (maybe applied). */
  increments: number;
  unanswered: number;
}

/** Writers sending acknowledged inserts, $inc updates and deletes until the store dies. */
async function writeUntilKilled(
  client: MongoClient,
  round: number,
  ack: Acknowledged,
  stop: () => boolean,
): Promise<void> {
  const coll = client.db('crash').collection<{ _id: string; n?: number; w?: number }>('c');
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; !stop(); i++) {
      const id = `r${round}-w${w}-${i}`;
      try {
        await coll.insertOne({ _id: id, w });
        ack.inserted.add(id);
        ack.unanswered++;
        await coll.updateOne({ _id: 'counter' }, { $inc: { n: 1 } }, { upsert: true });
        ack.unanswered--;
        ack.increments++;
        if (i % 3 === 0) {
          ack.unansweredDeletes.add(id);
          await coll.deleteOne({ _id: id });
          ack.unansweredDeletes.delete(id);
          ack.deleted.add(id);
        }
      } catch {
        return;
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(worker));
}

describe('journal: a killed store loses no acknowledged write', () => {
  it('SIGKILL at random moments during a stream of writes, then restart: every acknowledged write is there', async () => {
    const dataFile = path.join(tmpDir, 'crash.bson');
    const ack: Acknowledged = {
      inserted: new Set(),
      deleted: new Set(),
      unansweredDeletes: new Set(),
      increments: 0,
      unanswered: 0,
    };
    // a snapshot every second, so that kills also fall around snapshots and journal rotations
    for (let round = 0; round < 3; round++) {
      const [child, uri] = await startChild(dataFile, 1);
      const client = await connectClient(uri, {
        retryWrites: false,
        serverSelectionTimeoutMS: 500,
        maxPoolSize: 4,
      });
      let dead = false;
      const writing = writeUntilKilled(client, round, ack, () => dead);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1200));
      await killed(child);
      dead = true;
      await writing;
      await client.close(true);

      const h = await startHarness({ dataFile });
      try {
        const coll = h.client.db('crash').collection<{ _id: string; n?: number }>('c');
        const ids = new Set((await coll.find().toArray()).map((d) => d._id));
        const missing = [...ack.inserted].filter(
          (id) => !ack.deleted.has(id) && !ack.unansweredDeletes.has(id) && !ids.has(id),
        );
        const resurrected = [...ack.deleted].filter((id) => ids.has(id));
        expect({ round, missing, resurrected }).toEqual({ round, missing: [], resurrected: [] });
        const counter = (await coll.findOne({ _id: 'counter' }))?.n ?? 0;
        expect(counter).toBeGreaterThanOrEqual(ack.increments);
        expect(counter).toBeLessThanOrEqual(ack.increments + ack.unanswered);
        // what was maybe applied is now known: count it as applied for the next round
        ack.increments = counter;
        ack.unanswered = 0;
      } finally {
        await h.stop();
      }
    }
    expect(ack.inserted.size).toBeGreaterThan(30);
  }, 20_000);
});

describe('journal records', () => {
  const insertOp = (id: number) => serialize({ op: 'i', db: 'j', coll: 'c', doc: { _id: id } });
  const createOp = serialize({ op: 'cc', db: 'j', coll: 'c', options: {} });

  it('a torn last record (cut short or with a bad checksum) is cut and never applied', async () => {
    for (const tear of ['short', 'checksum'] as const) {
      const dataFile = path.join(tmpDir, `torn-${tear}.bson`);
      const good = Buffer.concat([
        encodeRecord(1, [createOp, insertOp(1)]),
        encodeRecord(2, [insertOp(2), insertOp(3)]),
      ]);
      let torn = encodeRecord(3, [insertOp(4), insertOp(5)]);
      if (tear === 'short') torn = torn.subarray(0, torn.length - 7);
      else torn[torn.length - 3] ^= 0xff;
      const journal = `${dataFile}.journal.1`;
      await fs.writeFile(journal, Buffer.concat([good, torn]));

      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const h = await startHarness({ dataFile });
      try {
        const docs = await h.client.db('j').collection('c').find().sort({ _id: 1 }).toArray();
        expect(docs).toEqual([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
        expect((await fs.stat(journal)).size).toBe(good.length);
        expect(String(warn.mock.calls[0]?.[0])).toMatch(/ends with a torn record at byte/);
      } finally {
        warn.mockRestore();
        await h.stop();
      }
      // the final snapshot holds everything; the journal files it compacted are gone
      expect(fsSync.existsSync(journal)).toBe(false);
      const again = await startHarness({ dataFile });
      try {
        expect(await again.client.db('j').collection('c').countDocuments()).toBe(3);
      } finally {
        await again.stop();
      }
    }
  });

  it('a snapshot compacts the journal: the files it contains are deleted, later writes replay on it', async () => {
    const dataFile = path.join(tmpDir, 'compact.bson');
    const h = await startHarness({ dataFile, snapshotSeconds: 0.2 });
    try {
      const coll = h.client.db('j').collection<{ _id: number }>('c');
      await coll.insertMany([{ _id: 1 }, { _id: 2 }]);
      expect(fsSync.existsSync(`${dataFile}.journal.1`)).toBe(true);
      const compacted = await pollUntil(
        () => Promise.resolve(!fsSync.existsSync(`${dataFile}.journal.1`)),
        5000,
      );
      expect(compacted).toBe(true);
      expect(fsSync.existsSync(`${dataFile}.journal.2`)).toBe(true);
      await coll.deleteOne({ _id: 1 });
      // what a killed process would leave: the journal files, then the snapshot (a snapshot
      // taken meanwhile deletes only journal files that the copied snapshot then contains)
      const journals = (await fs.readdir(tmpDir)).filter((f) =>
        f.startsWith('compact.bson.journal.'),
      );
      for (const name of journals) {
        const to = path.join(tmpDir, name.replace('compact.bson', 'compact-copy.bson'));
        await fs.copyFile(path.join(tmpDir, name), to).catch(() => undefined);
      }
      await fs.copyFile(dataFile, path.join(tmpDir, 'compact-copy.bson'));
    } finally {
      await h.stop();
    }
    const copy = await startHarness({ dataFile: path.join(tmpDir, 'compact-copy.bson') });
    try {
      expect(await copy.client.db('j').collection('c').find().toArray()).toEqual([{ _id: 2 }]);
    } finally {
      await copy.stop();
    }
  });

  it('a corrupt record followed by a later journal file stops the start and leaves the files', async () => {
    const dataFile = path.join(tmpDir, 'corrupt-middle.bson');
    const first = Buffer.concat([encodeRecord(1, [createOp]), Buffer.from('garbage!garbage!')]);
    await fs.writeFile(`${dataFile}.journal.1`, first);
    await fs.writeFile(`${dataFile}.journal.2`, encodeRecord(2, [insertOp(1)]));
    const error = await rejectionOf(startEmbeddedMongo({ dataFile }));
    expect((error as Error).message).toMatch(/journal\.1.*corrupt journal record at byte/);
    expect(await fs.readFile(`${dataFile}.journal.1`)).toEqual(first);
    expect(fsSync.existsSync(`${dataFile}.lock`)).toBe(false);
  });

  it('a write is in the journal file when acknowledged; j: true waits for the group commit', async () => {
    const dataFile = path.join(tmpDir, 'j-true.bson');
    const h = await startHarness({ dataFile, snapshotSeconds: 3600 });
    const flush = jest.spyOn(Journal.prototype, 'flush');
    try {
      const coll = h.client.db('j').collection<{ _id: number }>('c');
      await coll.insertOne({ _id: 1 });
      // written (write(2)) before the reply: a killed process would not lose it
      const journal = `${dataFile}.journal.1`;
      expect(fsSync.readFileSync(journal).includes(Buffer.from(serialize({ _id: 1 })))).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 150));
      const before = flush.mock.calls.length;
      await coll.insertOne({ _id: 2 }, { writeConcern: { j: true } });
      // the group commit (fsync) ran before the reply came
      expect(flush.mock.calls.length).toBeGreaterThan(before);
      // on the same connection, commands after a waiting one are answered in order
      const [a, b] = await Promise.all([
        coll.insertOne({ _id: 3 }, { writeConcern: { j: true } }),
        coll.countDocuments(),
      ]);
      expect(a.acknowledged).toBe(true);
      expect(b).toBeGreaterThanOrEqual(2);
    } finally {
      flush.mockRestore();
      await h.stop();
    }
  });

  it('the lock takes the real path: a symlink to a locked data file is refused', async () => {
    const dataFile = path.join(tmpDir, 'real.bson');
    const link = path.join(tmpDir, 'link.bson');
    const first = await startEmbeddedMongo({ dataFile });
    try {
      await fs.writeFile(dataFile, '');
      await fs.symlink(dataFile, link);
      await expect(startEmbeddedMongo({ dataFile: link })).rejects.toThrow(
        /data file .*real\.bson is in use/,
      );
    } finally {
      await first.stop();
    }
  });
});
