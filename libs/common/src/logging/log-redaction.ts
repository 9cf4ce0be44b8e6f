export const REDACTION_CENSOR = '[redacted]';

/** What a feature keeps out of the logs: secret body fields, and secrets inside its paths. */
export interface LogRedaction {
  /** Field names written as [redacted] wherever they appear in a logged object (4 levels deep). */
  readonly keys?: readonly string[];
  /** Path patterns whose first capture group is kept and whose match after it is masked. */
  readonly pathSecrets?: readonly RegExp[];
}

const redactions: LogRedaction[] = [];

/** Declares a feature's log redactions; the logger reads them all when it starts. */
export function defineLogRedaction(redaction: LogRedaction): LogRedaction {
  redactions.push(redaction);
  return redaction;
}

/** Credentials every request may carry, whatever the feature. */
const TRANSPORT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** The pino redact paths: the transport's credentials and every declared key, at any depth. */
export function redactedLogPaths(): string[] {
  const keys = [...new Set(redactions.flatMap((redaction) => redaction.keys ?? []))];
  return [
    ...TRANSPORT_PATHS,
    ...keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  ];
}

/** The URL with every declared path secret masked: /invites/K7QM-… → /invites/[redacted]. */
export function maskPathSecrets(url: string | undefined): string | undefined {
  let masked = url;
  for (const pattern of redactions.flatMap((redaction) => redaction.pathSecrets ?? [])) {
    masked = masked?.replace(pattern, `$1${REDACTION_CENSOR}`);
  }
  return masked;
}
