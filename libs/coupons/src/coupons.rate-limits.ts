import type { AuthenticatedRequest } from '@app/common';
import { defineRateLimit } from '@app/rate-limit';

export const COUPON_REDEEM = defineRateLimit({
  name: 'coupon-redeem',
  limit: (config) => config.get('COUPON_REDEEM_RATE_PER_MINUTE'),
  windowMs: 60_000,
  tracker: (req) => `user:${(req as AuthenticatedRequest).user?.id ?? req.ip ?? ''}`,
});
