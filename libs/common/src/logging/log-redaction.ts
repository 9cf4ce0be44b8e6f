const SENSITIVE_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
];

export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

export const REDACTION_CENSOR = '[redacted]';

/** Path segments that are secrets themselves: the code in /invites/<code>[/check]. */
export function maskPathSecrets(url: string | undefined): string | undefined {
  return url?.replace(/(\/invites\/)[^/?#]+/, `$1${REDACTION_CENSOR}`);
}
