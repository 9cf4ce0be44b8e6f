/** The stable machine codes of every error the API answers (the `error` field of its body). */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNAUTHORIZED',
  'INSUFFICIENT_TOKENS',
  'FORBIDDEN',
  'ACCOUNT_BANNED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVITE_INVALID',
  'COUPON_INVALID',
  'RESET_TOKEN_INVALID',
  'RATE_LIMITED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/**
 * The one error services, repositories and guards throw: a stable code, a sentence for people,
 * the fields at fault. It knows no transport: the HTTP filter turns it into a status and body, the
 * gateway into an ack, the CLI into a line.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** For RATE_LIMITED: when the caller may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  static validation(details: readonly ErrorDetail[], message = 'Validation failed'): DomainError {
    return new DomainError('VALIDATION_FAILED', message, details);
  }

  static notFound(message: string): DomainError {
    return new DomainError('NOT_FOUND', message);
  }

  static conflict(message: string, details: readonly ErrorDetail[] = []): DomainError {
    return new DomainError('CONFLICT', message, details);
  }

  static forbidden(message: string): DomainError {
    return new DomainError('FORBIDDEN', message);
  }

  static unauthorized(message = 'Authentication required'): DomainError {
    return new DomainError('UNAUTHORIZED', message);
  }

  static accountBanned(): DomainError {
    return new DomainError('ACCOUNT_BANNED', 'This account is banned');
  }

  static rateLimited(retryAfterSeconds: number): DomainError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new DomainError('RATE_LIMITED', `Too many requests; retry in ${seconds} s`, [], seconds);
  }
}
