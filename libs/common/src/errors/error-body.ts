import { HttpException } from '@nestjs/common';
import { DomainError, type ErrorCode, type ErrorDetail } from './domain-error';
import { errorCodeForStatus, HTTP_STATUS } from './http-status';

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: ErrorCode;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
  readonly requestId: string;
}

export interface MappedError {
  readonly body: Omit<ErrorBody, 'requestId'>;
  readonly headers: Readonly<Record<string, string>>;
  readonly unexpected: boolean;
}

const INTERNAL_MESSAGE = 'An unexpected error occurred';
/** Most details an error answer lists: a payload of 10,000 unknown keys gets 50 and a count. */
export const MAX_ERROR_DETAILS = 50;

function capped(details: readonly ErrorDetail[]): readonly ErrorDetail[] {
  if (details.length <= MAX_ERROR_DETAILS) return details;
  const more = details.length - MAX_ERROR_DETAILS;
  return [
    ...details.slice(0, MAX_ERROR_DETAILS),
    { field: '(more)', message: `and ${more} more problems of the same request` },
  ];
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

function mapped(
  status: number,
  error: ErrorCode,
  message: string,
  details: readonly ErrorDetail[] = [],
): MappedError {
  return {
    body: { statusCode: status, error, message, details: capped(details) },
    headers: {},
    unexpected: false,
  };
}

/**
 * The HTTP answer to anything thrown: a DomainError by its code's status; a framework
 * HttpException (routing, body parsing) by its status; anything else (a duplicate key no
 * repository expected included) as 500 with nothing internal in it.
 */
export function mapException(exception: unknown): MappedError {
  if (exception instanceof DomainError) {
    const status = HTTP_STATUS[exception.code];
    const headers: Record<string, string> =
      exception.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(exception.retryAfterSeconds) };
    return { ...mapped(status, exception.code, exception.message, exception.details), headers };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 500) return { ...mapped(500, 'INTERNAL', INTERNAL_MESSAGE), unexpected: true };
    return mapped(status, errorCodeForStatus(status), messageOf(exception));
  }
  return { ...mapped(500, 'INTERNAL', INTERNAL_MESSAGE), unexpected: true };
}
