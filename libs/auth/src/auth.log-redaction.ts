import { defineLogRedaction } from '@app/common';

/** Passwords and tokens never reach the logs, wherever they sit in a logged object. */
export const AUTH_LOG_REDACTION = defineLogRedaction({
  keys: [
    'password',
    'currentPassword',
    'newPassword',
    'passwordHash',
    'token',
    'accessToken',
    'refreshToken',
  ],
});
