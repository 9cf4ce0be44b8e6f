import type { AuthenticatedRequest } from '@app/common';
import { defineRateLimit } from '@app/rate-limit';

/** Exports per user: each one reads every collection that holds a part of the account. */
export const ACCOUNT_EXPORT = defineRateLimit({
  name: 'account-export',
  limit: () => 10,
  windowMs: 3_600_000,
  tracker: (req) => `user:${(req as AuthenticatedRequest).user?.id ?? req.ip ?? ''}`,
});

/** Deletion attempts per user: each checks a password. */
export const ACCOUNT_DELETE = defineRateLimit({
  name: 'account-delete',
  limit: () => 5,
  windowMs: 3_600_000,
  tracker: (req) => `user:${(req as AuthenticatedRequest).user?.id ?? req.ip ?? ''}`,
});
