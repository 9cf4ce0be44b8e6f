import type { Request } from 'express';
import { defineRateLimit } from '@app/rate-limit';

const HOUR_MS = 3_600_000;

/** The body's email, as stored (the address when the body has none). */
function bodyEmail(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? `email:${email.trim().toLowerCase()}` : `ip:${req.ip ?? ''}`;
}

export const SIGNUP_PER_ADDRESS = defineRateLimit({
  name: 'signup-address',
  limit: (config) => config.get('SIGNUP_RATE_PER_HOUR'),
  windowMs: HOUR_MS,
});

export const SIGNUP_PER_EMAIL = defineRateLimit({
  name: 'signup-email',
  limit: (config) => config.get('SIGNUP_RATE_PER_HOUR'),
  windowMs: HOUR_MS,
  tracker: bodyEmail,
});

export const FORGOT_PASSWORD_PER_ADDRESS = defineRateLimit({
  name: 'password-forgot-address',
  limit: (config) => config.get('FORGOT_ADDRESS_RATE_PER_HOUR'),
  windowMs: HOUR_MS,
});

/**
 * Per email AND client address (`forgot-email:<email>:<address>`): a stranger who uses up the
 * limit for an email from their address does not lock its owner out of asking from theirs. Any
 * email string counts, with or without an account: the limit tells nothing about accounts.
 */
export const FORGOT_PASSWORD_PER_EMAIL = defineRateLimit({
  name: 'password-forgot-email',
  limit: (config) => config.get('FORGOT_EMAIL_RATE_PER_HOUR'),
  windowMs: HOUR_MS,
  tracker: (req) => `forgot-${bodyEmail(req)}:${req.ip ?? ''}`,
});

/**
 * Per email over every address (`forgot-email:<email>`), looser: bounds the mail one inbox can be
 * sent. Declared after the two above, so a request they refuse does not count here.
 */
export const FORGOT_PASSWORD_PER_EMAIL_TOTAL = defineRateLimit({
  name: 'password-forgot-email-total',
  limit: (config) => config.get('FORGOT_EMAIL_TOTAL_RATE_PER_HOUR'),
  windowMs: HOUR_MS,
  tracker: (req) => `forgot-${bodyEmail(req)}`,
});
