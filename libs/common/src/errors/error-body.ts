import { HttpException } from '@nestjs/common';
import { ApiError, type ErrorCode, type ErrorDetail } from './api-error';

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

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'INSUFFICIENT_TOKENS',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  503: 'SERVICE_UNAVAILABLE',
};

const INTERNAL_MESSAGE = 'An unexpected error occurred';
const DUPLICATE_KEY = 11000;

export function errorCodeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
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
  return { body: { statusCode: status, error, message, details }, headers: {}, unexpected: false };
}

function duplicateKeyFields(exception: unknown): string[] | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { code, keyValue, keyPattern } = exception as Record<string, unknown>;
  if (code !== DUPLICATE_KEY) return undefined;
  const keys = keyValue ?? keyPattern;
  return typeof keys === 'object' && keys !== null ? Object.keys(keys) : [];
}

export function mapException(exception: unknown): MappedError {
  if (exception instanceof ApiError) {
    const status = exception.getStatus();
    return {
      ...mapped(status, exception.code, exception.message, exception.details),
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 500) return { ...mapped(500, 'INTERNAL', INTERNAL_MESSAGE), unexpected: true };
    return mapped(status, errorCodeForStatus(status), messageOf(exception));
  }
  const duplicateFields = duplicateKeyFields(exception);
  if (duplicateFields !== undefined) {
    const fields = duplicateFields.length > 0 ? duplicateFields.join(', ') : 'key';
    return mapped(
      409,
      'CONFLICT',
      `A resource with the same ${fields} already exists`,
      duplicateFields.map((field) => ({ field, message: 'is already taken' })),
    );
  }
  return { ...mapped(500, 'INTERNAL', INTERNAL_MESSAGE), unexpected: true };
}
