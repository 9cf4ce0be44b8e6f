import { HttpException, HttpStatus } from '@nestjs/common';

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
  'RATE_LIMITED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message, status);
  }

  static validation(details: readonly ErrorDetail[], message = 'Validation failed'): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, details);
  }

  static notFound(message: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', message);
  }

  static conflict(message: string, details: readonly ErrorDetail[] = []): ApiError {
    return new ApiError(HttpStatus.CONFLICT, 'CONFLICT', message, details);
  }

  static forbidden(message: string): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
  }

  static unauthorized(message = 'Authentication required'): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', message);
  }
}
