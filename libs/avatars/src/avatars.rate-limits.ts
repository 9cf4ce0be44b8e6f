import type { AuthenticatedRequest } from '@app/common';
import { defineRateLimit } from '@app/rate-limit';

/** Uploads per user: each one is decoded and re-encoded, which costs CPU and memory. */
export const AVATAR_UPLOAD = defineRateLimit({
  name: 'avatar-upload',
  limit: (config) => config.get('AVATAR_UPLOAD_RATE_PER_HOUR'),
  windowMs: 3_600_000,
  tracker: (req) => `user:${(req as AuthenticatedRequest).user?.id ?? req.ip ?? ''}`,
});
