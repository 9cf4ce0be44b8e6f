import { deserialize, serialize } from 'bson';
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import * as zlib from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { Doc } from '../bson/values';
import type { ChangeOp } from '../storage/collection';
import type { Engine } from '../storage/engine';
import { loadError, syncDirectory } from '../storage/persistence';
import { DESERIALIZE } from '../wire/protocol';

/** The group commit interval: journal writes reach the disk (fsync) at most this late. */
export const JOURNAL_COMMIT_MS = 100;
/** With a `j: true` write waiting, the group commit comes sooner (MongoDB divides it by 3). */
const JOURNAL_COMMIT_MS_WAITED = Math.ceil(JOURNAL_COMMIT_MS / 3);
const RECORD_HEADER = 8;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32Fallback(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
/** CRC-32 (IEEE): node:zlib's on Node 20.15+/22.2+, else a table-driven one. */
export const crc32: (data: Uint8Array) => number = zlibCrc32
  ? (data) => zlibCrc32(data) >>> 0
  : crc32Fallback;

/**
 * One journal record: payload length (uint32 LE), CRC-32 of the payload (uint32 LE), payload.
 * The payload is a sequence of BSON documents: `{ lsn, n }`, then the n changes of one command.
 */
export function encodeRecord(lsn: number, changes: Uint8Array[]): Buffer {
  const parts = [serialize({ lsn, n: changes.length }), ...changes];
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const record = Buffer.allocUnsafe(RECORD_HEADER + length);
  let at = RECORD_HEADER;
  for (const part of parts) {
    record.set(part, at);
    at += part.length;
  }
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(crc32(record.subarray(RECORD_HEADER)), 4);
  return record;
}

interface DecodedRecord {
  lsn: number;
  changes: ChangeOp[];
  end: number;
}

/** The record at `offset`, or undefined when it is torn (short, or its checksum differs). */
function decodeRecord(buffer: Buffer, offset: number): DecodedRecord | undefined {
  if (offset + RECORD_HEADER > buffer.length) return undefined;
  const length = buffer.readUInt32LE(offset);
  const end = offset + RECORD_HEADER + length;
  if (end > buffer.length) return undefined;
  const payload = buffer.subarray(offset + RECORD_HEADER, end);
  if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) return undefined;
  const docs: Doc[] = [];
  let at = 0;
  while (at < payload.length) {
    const size = payload.readInt32LE(at);
    docs.push(deserialize(payload.subarray(at, at + size), DESERIALIZE));
    at += size;
  }
  const [head, ...changes] = docs;
  return { lsn: Number(head.lsn), changes: changes as ChangeOp[], end };
}

/** Applies one recorded change to the engine (replay: the engine reports nothing meanwhile). */
function applyChange(engine: Engine, change: ChangeOp): void {
  if (change.op === 'dd') {
    engine.dropDatabase(change.db);
    return;
  }
  if (change.op === 'cc') {
    engine.createCollection(change.db, change.coll, change.options);
    return;
  }
  if (change.op === 'dc') {
    engine.dropCollection(change.db, change.coll);
    return;
  }
  const collection = engine.collection(change.db, change.coll);
  if (!collection) throw new Error(`change to the missing collection ${change.db}.${change.coll}`);
  switch (change.op) {
    case 'i':
      collection.insert(change.doc);
      break;
    case 'u': {
      const before = collection.getById(change.doc._id);
      if (!before) throw new Error(`update of a missing document in ${collection.ns}`);
      collection.replace(before, change.doc);
      break;
    }
    case 'd': {
      const doc = collection.getById(change.id);
      if (doc) collection.remove(doc);
      break;
    }
    case 'ci':
      collection.addIndex(change.spec);
      break;
    case 'di':
      collection.dropIndex(change.name);
      break;
  }
}

/** The journal files of a data file, oldest first: `<dataFile>.journal.<generation>`. */
function journalFiles(dataFile: string): { file: string; generation: number }[] {
  const prefix = `${basename(dataFile)}.journal.`;
  return readdirSync(dirname(dataFile))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({
      file: join(dirname(dataFile), name),
      generation: Number(name.slice(prefix.length)),
    }))
    .sort((a, b) => a.generation - b.generation);
}

/**
 * The write-ahead journal of a store with a data file. Every change a command makes is
 * collected (`record`), and `commit` appends the command's changes as one checksummed record
 * with write(2) before its reply is sent, so a killed process loses no acknowledged write. An
 * fsync follows within JOURNAL_COMMIT_MS (group commit), which `durable()` waits for (`j: true`).
 * A snapshot `rotate`s to a new journal file; the files it covers are deleted once it is on disk.
 */
export class Journal {
  private pending: Uint8Array[] = [];
  private unsynced = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushDue = 0;
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private fd: number;
  private closed = false;

  private constructor(
    private readonly dataFile: string,
    private generation: number,
    /** The last record written. */
    public lsn: number,
  ) {
    this.fd = this.create(generation);
  }

  /**
   * Replays the journal files on the engine loaded from the snapshot (records after
   * `snapshotLsn`), cuts a torn last record, and opens a new journal file for what follows.
   */
  static open(engine: Engine, dataFile: string, snapshotLsn: number): Journal {
    const files = journalFiles(dataFile);
    let lsn = snapshotLsn;
    files.forEach(({ file }, i) => {
      const buffer = readFileSync(file);
      let offset = 0;
      while (offset < buffer.length) {
        const record = decodeRecord(buffer, offset);
        if (!record) break;
        if (record.lsn > lsn) {
          try {
            for (const change of record.changes) applyChange(engine, change);
          } catch (error) {
            throw loadError(
              file,
              `journal record ${record.lsn} cannot be replayed (${(error as Error).message})`,
            );
          }
          lsn = record.lsn;
        }
        offset = record.end;
      }
      if (offset < buffer.length) {
        if (i < files.length - 1) {
          throw loadError(file, `corrupt journal record at byte ${offset}`);
        }
        process.emitWarning(
          `embedded-mongo: journal ${file} ends with a torn record at byte ${offset} ` +
            `(${buffer.length - offset} bytes, never acknowledged); it was cut`,
        );
        truncateSync(file, offset);
      }
    });
    const generation = files.length ? files[files.length - 1].generation + 1 : 1;
    return new Journal(dataFile, generation, lsn);
  }

  private fileOf(generation: number): string {
    return `${this.dataFile}.journal.${generation}`;
  }

  /** Creates the journal file of a generation; its directory is fsynced so the file exists. */
  private create(generation: number): number {
    const fd = openSync(this.fileOf(generation), 'a');
    try {
      syncDirectory(dirname(this.dataFile));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fd;
  }

  /** Collects one change of the running command. */
  record(change: ChangeOp): void {
    this.pending.push(serialize(change));
  }

  /** Appends the collected changes as one record (write(2)): call before the reply is sent. */
  commit(): void {
    if (this.pending.length === 0 || this.closed) return;
    const record = encodeRecord(this.lsn + 1, this.pending);
    this.pending = [];
    let written = 0;
    while (written < record.length) written += writeSync(this.fd, record, written);
    this.lsn++;
    this.unsynced = true;
    this.scheduleFlush(JOURNAL_COMMIT_MS);
  }

  /** Resolves once everything committed so far is on disk (the next group commit). */
  durable(): Promise<void> {
    if (!this.unsynced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.scheduleFlush(JOURNAL_COMMIT_MS_WAITED);
    });
  }

  private scheduleFlush(delay: number): void {
    const due = Date.now() + delay;
    if (this.flushTimer && this.flushDue <= due) return;
    clearTimeout(this.flushTimer);
    this.flushDue = due;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, delay);
    this.flushTimer.unref();
  }

  /** The group commit: fsyncs the journal file and answers the writes waiting for it. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      if (this.unsynced && !this.closed) fsyncSync(this.fd);
      this.unsynced = false;
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      const message = `embedded-mongo: journal fsync failed: ${(error as Error).message}`;
      process.emitWarning(message);
      for (const waiter of waiters) waiter.reject(new Error(message));
    }
  }

  /**
   * Starts a new journal file for a snapshot taken now: returns the last record the snapshot
   * contains and the files it makes obsolete once written.
   */
  rotate(): { lsn: number; obsolete: string[] } {
    this.commit();
    this.flush();
    closeSync(this.fd);
    const obsolete = journalFiles(this.dataFile).map(({ file }) => file);
    this.generation++;
    this.fd = this.create(this.generation);
    return { lsn: this.lsn, obsolete };
  }

  /** Deletes journal files a written snapshot contains. */
  static remove(files: string[]): void {
    for (const file of files) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  }

  /** Commits, flushes and closes the current file (the final snapshot follows). */
  close(): void {
    if (this.closed) return;
    this.commit();
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  /** Every journal file of the data file (to delete after the final snapshot). */
  files(): string[] {
    return journalFiles(this.dataFile).map(({ file }) => file);
  }
}
