import { randomUUID } from 'node:crypto';
import type { FileStorage } from '../src/file-storage';

/**
 * The behaviour every FileStorage promises, run against each implementation: `open` gives a
 * fresh, empty storage for the suite and `close` releases it.
 */
export function fileStorageContract(
  name: string,
  open: () => Promise<FileStorage>,
  close: () => Promise<void>,
): void {
  describe(`${name}: the FileStorage contract`, () => {
    let storage: FileStorage;

    beforeAll(async () => {
      storage = await open();
    });

    afterAll(async () => {
      await close();
    });

    const key = (): string => `contract/${randomUUID()}/file.bin`;

    it('get answers what put stored: the same bytes and content type', async () => {
      const k = key();
      const bytes = Buffer.from([0, 1, 2, 10, 13, 255, 254]);
      await storage.put(k, bytes, 'image/webp');
      expect(await storage.get(k)).toEqual({ bytes, contentType: 'image/webp' });
    });

    it('get of a key never written answers null', async () => {
      expect(await storage.get(key())).toBeNull();
    });

    it('put over an existing key replaces it whole', async () => {
      const k = key();
      await storage.put(k, Buffer.alloc(5000, 1), 'application/octet-stream');
      await storage.put(k, Buffer.from('short'), 'text/plain');
      expect(await storage.get(k)).toEqual({
        bytes: Buffer.from('short'),
        contentType: 'text/plain',
      });
    });

    it('stores empty and large files', async () => {
      const [empty, large] = [key(), key()];
      const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
      await Promise.all([
        storage.put(empty, Buffer.alloc(0), 'application/octet-stream'),
        storage.put(large, bytes, 'application/octet-stream'),
      ]);
      expect((await storage.get(empty))?.bytes.length).toBe(0);
      expect((await storage.get(large))?.bytes.equals(bytes)).toBe(true);
    });

    it('delete removes the file; deleting a missing key is no error', async () => {
      const k = key();
      await storage.put(k, Buffer.from('x'), 'text/plain');
      await storage.delete(k);
      expect(await storage.get(k)).toBeNull();
      await expect(storage.delete(k)).resolves.toBeUndefined();
    });

    it('readers during overwrites see one whole version or the other, never a mix', async () => {
      const k = key();
      const a = Buffer.alloc(256 * 1024, 0xaa);
      const b = Buffer.alloc(128 * 1024, 0xbb);
      await storage.put(k, a, 'application/octet-stream');
      const writes = Array.from({ length: 6 }, (_, i) =>
        storage.put(k, i % 2 === 0 ? b : a, 'application/octet-stream'),
      );
      const reads = Array.from({ length: 12 }, () => storage.get(k));
      const [, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
      for (const file of seen) {
        expect(file === null ? false : file.bytes.equals(a) || file.bytes.equals(b)).toBe(true);
      }
    });

    it('refuses keys that could leave its root or are not plain paths', async () => {
      for (const bad of ['../escape', '/absolute', 'a/../b', '.hidden', 'a//b', 'a\\b', '']) {
        await expect(storage.put(bad, Buffer.from('x'), 'text/plain')).rejects.toThrow(
          'Invalid storage key',
        );
        await expect(storage.get(bad)).rejects.toThrow('Invalid storage key');
      }
    });
  });
}
