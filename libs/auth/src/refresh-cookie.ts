import type { CookieOptions, Request, Response } from 'express';
import type { AppConfig } from '@app/common';

export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

function options(config: AppConfig): CookieOptions {
  return {
    httpOnly: true,
    secure: config.isProduction,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
  };
}

export function setRefreshCookie(res: Response, config: AppConfig, token: string): void {
  const maxAge = config.get('REFRESH_TOKEN_TTL_DAYS') * 86_400_000;
  res.cookie(REFRESH_COOKIE, token, { ...options(config), maxAge });
}

export function clearRefreshCookie(res: Response, config: AppConfig): void {
  res.clearCookie(REFRESH_COOKIE, options(config));
}

export function refreshCookieOf(req: Request): unknown {
  const cookies = req.cookies as Record<string, unknown> | undefined;
  return cookies?.[REFRESH_COOKIE];
}
