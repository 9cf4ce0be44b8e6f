import type { Request, Response } from 'express';
import { AVATAR_CONTENT_TYPE } from './avatar-image';
import type { ServedAvatar } from './avatars.service';

/** A versioned URL's bytes never change: cache for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** An unversioned (or outdated) URL may show a new avatar soon. */
const SHORT = 'public, max-age=300';

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}

/**
 * Answers the image, or 304 when the client holds it. Cross-Origin-Resource-Policy is relaxed to
 * cross-origin so that web clients on other origins can show avatars in <img>.
 */
export function sendAvatar(
  req: Request,
  res: Response,
  avatar: ServedAvatar,
  version: string | undefined,
): void {
  res.set({
    ETag: avatar.etag,
    'Cache-Control': version === avatar.version ? IMMUTABLE : SHORT,
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (matchesEtag(req.headers['if-none-match'], avatar.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type(AVATAR_CONTENT_TYPE).set('Content-Length', String(avatar.bytes.length));
  res.end(avatar.bytes);
}
