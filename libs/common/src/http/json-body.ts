import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { DomainError } from '../errors/domain-error';
import { errorCodeForStatus } from '../errors/http-status';

interface BodyParserError {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly expose?: unknown;
  readonly message: string;
}

export function translateBodyError(
  error: BodyParserError,
  limitBytes: number,
): DomainError | BodyParserError {
  if (error.type === 'entity.parse.failed') {
    return new DomainError('MALFORMED_JSON', 'The request body is not valid JSON');
  }
  if (error.type === 'entity.too.large') {
    return new DomainError(
      'PAYLOAD_TOO_LARGE',
      `The request body exceeds the limit of ${limitBytes} bytes`,
    );
  }
  if (typeof error.status === 'number' && error.status < 500 && error.expose === true) {
    return new DomainError(errorCodeForStatus(error.status), error.message);
  }
  return error;
}

export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      next(
        error === undefined ? undefined : translateBodyError(error as BodyParserError, limitBytes),
      );
    });
  };
}
