import { randomBytes } from 'node:crypto';

/** A refresh token is an opaque token: 256 random bits, base64url, stored as its SHA-256. */
export {
  hashOpaqueToken as hashRefreshToken,
  isWellFormedOpaqueToken as isWellFormedRefreshToken,
  newOpaqueToken as newRefreshToken,
} from '../opaque-token';

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
