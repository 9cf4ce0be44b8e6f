import { defineRateLimit } from '@app/rate-limit';

/**
 * Client events per user per minute, over all their sockets and instances (room:join, room:leave,
 * typing, unknown events). message:send counts against the messages' own posting limit instead.
 */
export const SOCKET_EVENTS = defineRateLimit({
  name: 'socket-events',
  limit: (config) => config.get('SOCKET_EVENTS_PER_MINUTE'),
  windowMs: 60_000,
});
