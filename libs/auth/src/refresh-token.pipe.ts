import type { Request } from 'express';
import { DomainError } from '@app/common';
import { refreshCookieOf } from './refresh-cookie';
import { isWellFormedRefreshToken } from './sessions/session-tokens';

/** The refresh_token cookie, or 401 when it is missing or not one of ours. */
export function refreshTokenOf(req: Request): string {
  const token = refreshCookieOf(req);
  if (!isWellFormedRefreshToken(token))
    throw DomainError.unauthorized('The refresh_token cookie is missing or invalid');
  return token;
}
