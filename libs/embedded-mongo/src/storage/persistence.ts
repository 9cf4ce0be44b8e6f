import { calculateObjectSize, deserialize, serialize, serializeWithBufferAndIndex } from 'bson';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  mkdirSync,
} from 'node:fs';
import { open, rename, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Doc } from '../bson/values';
import { DESERIALIZE } from '../wire/protocol';
import { Engine } from './engine';
import { IndexSpec } from './collection-index';

const FORMAT = 'embedded-mongo-snapshot';
const VERSION = 1;

/** A snapshot is serialized into buffers of about this size, each written with one write. */
const CHUNK_BYTES = 1 << 20;

/** BSON documents serialized one after the other into CHUNK_BYTES buffers. */
class Chunks {
  readonly buffers: Uint8Array[] = [];
  private chunk: Buffer | undefined;
  private used = 0;

  add(doc: Doc): void {
    const size = calculateObjectSize(doc);
    if (size > CHUNK_BYTES - this.used) {
      this.close();
      if (size > CHUNK_BYTES) {
        this.buffers.push(serialize(doc));
        return;
      }
    }
    this.chunk ??= Buffer.allocUnsafe(CHUNK_BYTES);
    // the same defaults as serialize(): the bytes are those it would give
    this.used = serializeWithBufferAndIndex(doc, this.chunk, { index: this.used }) + 1;
  }

  /** Ends the current chunk (the next document starts a new one) and returns all of them. */
  close(): Uint8Array[] {
    if (this.chunk && this.used > 0) this.buffers.push(this.chunk.subarray(0, this.used));
    this.chunk = undefined;
    this.used = 0;
    return this.buffers;
  }
}

/**
 * Snapshot file: a sequence of BSON documents. A header, then for each collection a descriptor
 * (names, options, index specs, document count) followed by its documents, each stored whole.
 */
export function snapshotBuffers(engine: Engine, journalLsn = 0): Uint8Array[] {
  const chunks = new Chunks();
  chunks.add({ format: FORMAT, version: VERSION, writtenAt: new Date(), journalLsn });
  for (const collection of engine.allCollections()) {
    chunks.add({
      db: collection.db,
      name: collection.name,
      options: collection.options,
      indexes: collection.indexSpecs().slice(1),
      count: collection.docs.size,
    });
    for (const doc of collection.docs.values()) chunks.add(doc);
  }
  return chunks.close();
}

export function loadError(file: string, reason: string): Error {
  return new Error(
    `embedded-mongo: cannot load data file ${file}: ${reason}. The file was left untouched; ` +
      'move it away (or restore a good copy) to start.',
  );
}

function* readDocuments(buffer: Buffer, file: string): Generator<Doc> {
  let offset = 0;
  while (offset < buffer.length) {
    if (offset + 5 > buffer.length) throw loadError(file, `truncated document at byte ${offset}`);
    const size = buffer.readInt32LE(offset);
    if (size < 5 || offset + size > buffer.length || buffer[offset + size - 1] !== 0) {
      throw loadError(file, `invalid document length at byte ${offset}`);
    }
    try {
      yield deserialize(buffer.subarray(offset, offset + size), DESERIALIZE);
    } catch (error) {
      throw loadError(file, `corrupt BSON at byte ${offset} (${(error as Error).message})`);
    }
    offset += size;
  }
}

/**
 * Fills an empty engine from a snapshot file; a missing file means an empty store. Returns the
 * last journal record the snapshot contains (0: none), where journal replay starts.
 */
export function loadSnapshot(engine: Engine, file: string): number {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw loadError(file, (error as Error).message);
  }
  const docs = readDocuments(buffer, file);
  const header = docs.next();
  if (header.done || header.value.format !== FORMAT)
    throw loadError(file, 'not an embedded-mongo snapshot');
  if (Number(header.value.version) !== VERSION)
    throw loadError(file, `unsupported snapshot version ${String(header.value.version)}`);
  const journalLsn = Number(header.value.journalLsn ?? 0);
  try {
    for (let entry = docs.next(); !entry.done; entry = docs.next()) {
      const descriptor = entry.value;
      const collection = engine.createCollection(
        String(descriptor.db),
        descriptor.name,
        (descriptor.options ?? {}) as Doc,
      );
      for (const spec of descriptor.indexes as IndexSpec[]) collection.addIndex(spec);
      const count = Number(descriptor.count);
      for (let i = 0; i < count; i++) {
        const doc = docs.next();
        if (doc.done) throw loadError(file, `collection ${collection.ns} ends early`);
        collection.insert(doc.value);
      }
    }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('embedded-mongo:')) throw error;
    throw loadError(file, (error as Error).message);
  }
  return journalLsn;
}

/**
 * fsyncs a directory, so that a file created, renamed or deleted in it survives a power loss.
 * Windows cannot open a directory for this (its file system orders the change itself).
 */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function tempName(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/** Writes a snapshot (from snapshotBuffers) atomically: temporary file, fsync, rename. */
export async function writeSnapshot(buffers: Uint8Array[], file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempName(file);
  const handle = await open(temp, 'w');
  try {
    for (const chunk of buffers) {
      let written = 0;
      while (written < chunk.length) {
        written += (await handle.write(chunk, written)).bytesWritten;
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  syncDirectory(dirname(file));
}

/** The same, synchronously: for the last snapshot at stop and on process exit. */
export function writeSnapshotSync(buffers: Uint8Array[], file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = tempName(file);
  const fd = openSync(temp, 'w');
  try {
    for (const chunk of buffers) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncDirectory(dirname(file));
}
