import { createHash, randomBytes } from 'node:crypto';

/** An opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the refresh token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A refresh token as a client may send it: base64url of 32 bytes. */
export function isWellFormedRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * A session id: 128 random bits, base64url. It travels inside access tokens as `sid`, so it is
 * unguessable rather than a sequential ObjectId.
 */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export function isWellFormedSessionId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value);
}
