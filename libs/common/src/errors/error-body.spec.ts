import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { ApiError } from './api-error';
import { mapException } from './error-body';

describe('mapException', () => {
  it('keeps the code, message, details and headers of an ApiError', () => {
    const error = new ApiError(429, 'RATE_LIMITED', 'Slow down', [], { 'Retry-After': '30' });
    expect(mapException(error)).toEqual({
      body: { statusCode: 429, error: 'RATE_LIMITED', message: 'Slow down', details: [] },
      headers: { 'Retry-After': '30' },
      unexpected: false,
    });
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

  it('maps a Mongo duplicate key error to 409 naming the fields but not the values', () => {
    const duplicate = Object.assign(
      new Error('E11000 duplicate key error dup key: { email: "a@b.c" }'),
      {
        code: 11000,
        keyValue: { email: 'a@b.c' },
      },
    );
    const mapped = mapException(duplicate);
    expect(mapped.body).toEqual({
      statusCode: 409,
      error: 'CONFLICT',
      message: 'A resource with the same email already exists',
      details: [{ field: 'email', message: 'is already taken' }],
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
});
