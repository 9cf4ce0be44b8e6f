import type { Logger } from '@nestjs/common';
import { DomainError } from '@app/common';
import type { SocketError } from './realtime.events';

const INTERNAL_MESSAGE = 'An unexpected error occurred';

/**
 * The ack error of anything a handler threw, as the HTTP filter maps it: a DomainError by its code,
 * message and details; anything else as INTERNAL with nothing internal in it (logged here).
 */
export function toSocketError(
  error: unknown,
  logger: Pick<Logger, 'error'>,
  event: string,
): SocketError {
  if (error instanceof DomainError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details.length > 0 ? { details: [...error.details] } : {}),
      ...(error.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  logger.error({ err: error, event }, 'Unexpected error answered as INTERNAL');
  return { code: 'INTERNAL', message: INTERNAL_MESSAGE };
}
