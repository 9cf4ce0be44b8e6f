import type { Response } from 'express';
import { AVATAR_CONTENT_TYPE } from './avatar-image';
import type { AvatarAnswer } from './avatars.service';

/** A versioned URL's bytes never change: cache for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** An unversioned (or outdated) URL may show a new avatar soon. */
const SHORT = 'public, max-age=300';

/**
 * Answers the image, or 304 when the client holds it (`bytes: null`: AvatarsService.answer
 * compared If-None-Match). Cross-Origin-Resource-Policy is relaxed to cross-origin so that web
 * clients on other origins can show avatars in <img>.
 */
export function sendAvatar(res: Response, avatar: AvatarAnswer, version: string | undefined): void {
  res.set({
    ETag: avatar.etag,
    'Cache-Control': version === avatar.version ? IMMUTABLE : SHORT,
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (avatar.bytes === null) {
    res.status(304).end();
    return;
  }
  res.status(200).type(AVATAR_CONTENT_TYPE).set('Content-Length', String(avatar.bytes.length));
  res.end(avatar.bytes);
}
