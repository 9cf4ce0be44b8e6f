import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { DomainError, ERROR_CODES } from './domain-error';
import { HTTP_STATUS } from './http-status';
import { MAX_ERROR_DETAILS, mapException } from './error-body';

describe('mapException', () => {
  it('answers a DomainError with the status of its code, its message and details, and Retry-After', () => {
    expect(mapException(DomainError.rateLimited(29.2))).toEqual({
      body: {
        statusCode: 429,
        error: 'RATE_LIMITED',
        message: 'Too many requests; retry in 30 s',
        details: [],
      },
      headers: { 'Retry-After': '30' },
      unexpected: false,
    });
    const invalid = DomainError.validation([{ field: 'a', message: 'is bad' }]);
    expect(mapException(invalid)).toEqual({
      body: {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Validation failed',
        details: [{ field: 'a', message: 'is bad' }],
      },
      headers: {},
      unexpected: false,
    });
  });

  it('gives every error code an HTTP status', () => {
    for (const code of ERROR_CODES) {
      expect(mapException(new DomainError(code, 'x')).body.statusCode).toBe(HTTP_STATUS[code]);
      expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
    }
  });

  it('derives the code of a plain Nest exception from its status', () => {
    expect(mapException(new NotFoundException('Cannot GET /nope')).body).toEqual({
      statusCode: 404,
      error: 'NOT_FOUND',
      message: 'Cannot GET /nope',
      details: [],
    });
    expect(mapException(new ConflictException()).body.error).toBe('CONFLICT');
    expect(mapException(new BadRequestException(['a is bad', 'b is bad'])).body.message).toBe(
      'a is bad; b is bad',
    );
    expect(mapException(new HttpException('Gone', 410)).body.error).toBe('BAD_REQUEST');
  });

  it('answers a duplicate key no repository turned into CONFLICT as a bare 500, values unshown', () => {
    const duplicate = Object.assign(
      new Error('E11000 duplicate key error dup key: { email: "a@b.c" }'),
      { code: 11000, keyValue: { email: 'a@b.c' } },
    );
    const mapped = mapException(duplicate);
    expect(mapped).toMatchObject({
      body: { statusCode: 500, error: 'INTERNAL' },
      unexpected: true,
    });
    expect(JSON.stringify(mapped)).not.toContain('a@b.c');
  });

  it('answers anything else as a bare 500 INTERNAL, flagged for the log', () => {
    for (const thrown of [
      new Error('/srv/app secret'),
      new InternalServerErrorException('db password wrong'),
      'a string',
    ]) {
      expect(mapException(thrown)).toEqual({
        body: {
          statusCode: 500,
          error: 'INTERNAL',
          message: 'An unexpected error occurred',
          details: [],
        },
        headers: {},
        unexpected: true,
      });
    }
  });

  it('lists at most MAX_ERROR_DETAILS details, then how many more', () => {
    const details = Array.from({ length: 10_000 }, (_, i) => ({
      field: `k${i}`,
      message: `property k${i} should not exist`,
    }));
    const { body } = mapException(DomainError.validation(details));
    expect(body.details).toHaveLength(MAX_ERROR_DETAILS + 1);
    expect(body.details[0]).toEqual(details[0]);
    expect(body.details.at(-1)).toEqual({
      field: '(more)',
      message: `and ${10_000 - MAX_ERROR_DETAILS} more problems of the same request`,
    });
  });
});
