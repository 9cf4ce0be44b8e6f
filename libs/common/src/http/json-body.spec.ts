import { DomainError } from '../errors/domain-error';
import { HTTP_STATUS } from '../errors/http-status';
import { translateBodyError } from './json-body';

describe('translateBodyError', () => {
  it('turns a parse failure into 400 MALFORMED_JSON without the parser message', () => {
    const error = translateBodyError(
      { type: 'entity.parse.failed', status: 400, message: 'Unexpected token' },
      10,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON',
    });
  });

  it('turns an oversized body into 413 PAYLOAD_TOO_LARGE naming the limit', () => {
    const error = translateBodyError(
      { type: 'entity.too.large', status: 413, message: 'too large' },
      2048,
    );
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body exceeds the limit of 2048 bytes',
    });
    expect(HTTP_STATUS[(error as DomainError).code]).toBe(413);
  });

  it('keeps other exposed client errors with their status and passes the rest through', () => {
    const unsupported = translateBodyError(
      {
        type: 'charset.unsupported',
        status: 415,
        expose: true,
        message: 'unsupported charset "X"',
      },
      1,
    );
    expect(unsupported).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const internal = { status: 500, message: 'boom' };
    expect(translateBodyError(internal, 1)).toBe(internal);
  });
});
