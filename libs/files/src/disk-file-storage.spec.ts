import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStorageContract } from '../test/file-storage.contract';
import { DiskFileStorage } from './disk-file-storage';

let root: string;

fileStorageContract(
  'DiskFileStorage on the real filesystem',
  async () => {
    root = await mkdtemp(join(tmpdir(), 'disk-storage-'));
    return new DiskFileStorage(join(root, 'uploads'));
  },
  () => rm(root, { recursive: true, force: true }),
);

describe('DiskFileStorage on disk', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'disk-storage-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the directories of a key under its root and leaves no temporary file behind', async () => {
    const storage = new DiskFileStorage(dir);
    await storage.put('avatars/abc/one.webp', Buffer.from('RIFF'), 'image/webp');
    await storage.put('avatars/abc/one.webp', Buffer.from('RIFF2'), 'image/webp');
    expect(await readdir(join(dir, 'avatars', 'abc'))).toEqual(['one.webp']);
    const stored = await readFile(join(dir, 'avatars', 'abc', 'one.webp'));
    expect(stored.toString()).toBe('{"contentType":"image/webp"}\nRIFF2');
  });

  it('leaves no temporary file behind when the final rename fails', async () => {
    const storage = new DiskFileStorage(dir);
    await storage.put('a/file/inside', Buffer.from('x'), 'text/plain');
    await expect(storage.put('a/file', Buffer.from('new'), 'text/plain')).rejects.toThrow();
    expect(await readdir(join(dir, 'a'))).toEqual(['file']);
    expect(await storage.get('a/file/inside')).toEqual({
      bytes: Buffer.from('x'),
      contentType: 'text/plain',
    });
  });
});
