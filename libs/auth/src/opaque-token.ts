import { createHash, randomBytes } from 'node:crypto';

/**
 * An opaque bearer secret (refresh tokens, password reset tokens): 256 random bits, base64url. Only
 * its SHA-256 is stored: with that much entropy a fast hash is enough, and a database leak gives
 * nothing usable.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token as a client may send it: base64url of 32 bytes. */
export function isWellFormedOpaqueToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
