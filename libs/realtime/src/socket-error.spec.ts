import { DomainError } from '@app/common';
import { toSocketError } from './socket-error';

describe('toSocketError', () => {
  const logger = { error: jest.fn() };

  it('keeps a domain error code, message, details and retry time', () => {
    const details = [{ field: 'text', message: 'text must be a string' }];
    expect(toSocketError(DomainError.validation(details), logger, 'message:send')).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Validation failed',
      details,
    });
    expect(toSocketError(DomainError.rateLimited(2.2), logger, 'typing')).toEqual({
      code: 'RATE_LIMITED',
      message: 'Too many requests; retry in 3 s',
      retryAfterSeconds: 3,
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('answers anything else as INTERNAL, leaking nothing, and logs it', () => {
    const error = new Error('connection string mongodb://secret');
    expect(toSocketError(error, logger, 'room:join')).toEqual({
      code: 'INTERNAL',
      message: 'An unexpected error occurred',
    });
    expect(logger.error).toHaveBeenCalledWith(
      { err: error, event: 'room:join' },
      'Unexpected error answered as INTERNAL',
    );
  });
});
