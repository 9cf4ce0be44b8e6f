import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { assertStorageKey, FileStorage, type StoredFile } from './file-storage';

/** The first line of a stored file: its metadata as JSON; the bytes follow it. */
interface DiskHeader {
  contentType: string;
}

const NEWLINE = 0x0a;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function writeDurably(path: string, data: Buffer, flags: string): Promise<void> {
  const handle = await open(path, flags, 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The directory's entry (a rename) reaches the disk too; some filesystems cannot, so best effort. */
async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}

/**
 * Files under one directory, each with its metadata in a first line, so one rename publishes
 * both: a put writes a temporary file beside the target, syncs it and renames it over the
 * target; a crash leaves at worst a `.tmp` file nobody reads.
 */
export class DiskFileStorage extends FileStorage {
  readonly kind = 'disk';
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const header: DiskHeader = { contentType };
    const data = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), bytes]);
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeDurably(temporary, data, 'wx');
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(path));
  }

  async get(key: string): Promise<StoredFile | null> {
    let data: Buffer;
    try {
      data = await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const end = data.indexOf(NEWLINE);
    if (end < 0) throw new Error(`Stored file ${key} has no header`);
    const header = JSON.parse(data.subarray(0, end).toString('utf8')) as DiskHeader;
    return { bytes: data.subarray(end + 1), contentType: header.contentType };
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return join(this.root, ...key.split('/'));
  }
}
