import { defineRateLimit } from '@app/rate-limit';

export const INVITE_CHECK = defineRateLimit({
  name: 'invite-check',
  limit: (config) => config.get('INVITE_CHECK_RATE_PER_MINUTE'),
  windowMs: 60_000,
});
