/** A stored file: its bytes and the content type it was stored with. */
export interface StoredFile {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/**
 * Where uploaded files live: the local disk or an S3-compatible bucket, behind one contract.
 * `put` is atomic (a reader sees the old file or the whole new one, never part of it), `get` of
 * a missing key answers null, `delete` of a missing key does nothing.
 */
export abstract class FileStorage {
  /** What backs this storage, for logs: "disk" or "s3". */
  abstract readonly kind: string;
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  abstract get(key: string): Promise<StoredFile | null>;
  abstract delete(key: string): Promise<void>;
}

const KEY =
  /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)*$/;
const MAX_KEY_LENGTH = 512;

/**
 * Keys are slash-separated segments of letters, digits, "_", "-" and inner dots (no "..", no
 * leading dot or slash): the same key is a safe relative path on disk and an S3 object key.
 */
export function assertStorageKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH || !KEY.test(key)) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key.slice(0, 80))}`);
  }
}
