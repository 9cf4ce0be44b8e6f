import type { Logger } from '@nestjs/common';
import { DomainError, mapException } from '@app/common';
import type { SocketError } from './realtime.events';

/**
 * The ack error of anything a handler threw, by the HTTP filter's own mapping: a DomainError by
 * its code, message, details and retry time; anything else as INTERNAL with nothing internal in
 * it (logged here, with the event or handshake it came from).
 */
export function toSocketError(
  error: unknown,
  logger: Pick<Logger, 'error'>,
  event: string,
): SocketError {
  const { body, unexpected } = mapException(error);
  if (unexpected) logger.error({ err: error, event }, 'Unexpected error answered as INTERNAL');
  const retryAfterSeconds = error instanceof DomainError ? error.retryAfterSeconds : undefined;
  return {
    code: body.error,
    message: body.message,
    ...(body.details.length > 0 ? { details: [...body.details] } : {}),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}
