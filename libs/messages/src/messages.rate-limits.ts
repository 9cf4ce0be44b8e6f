import { defineRateLimit } from '@app/rate-limit';

/** Posts per user each minute, REST and socket together (applied by MessagesService). */
export const MESSAGE_POST = defineRateLimit({
  name: 'message-post',
  limit: (config) => config.get('MESSAGE_RATE_PER_MINUTE'),
  windowMs: 60_000,
});
