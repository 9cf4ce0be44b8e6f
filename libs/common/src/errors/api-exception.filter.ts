import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethods } from '../http/allowed-methods';
import { requestIdOf } from '../http/request-id';
import { DomainError } from './domain-error';
import { type ErrorBody, mapException } from './error-body';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { body, headers, unexpected } = mapException(methodNotAllowed(exception, req, res));
    const requestId = requestIdOf(req);
    if (unexpected) {
      this.logger.error({ err: exception, requestId }, 'Unexpected error answered as 500');
    } else if (body.statusCode >= 500) {
      this.logger.warn({ requestId, error: body.error }, body.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const errorBody: ErrorBody = { ...body, requestId };
    res.status(body.statusCode).set(headers).json(errorBody);
  }
}

/**
 * The router's 404 for a path that exists with other methods becomes 405 with `Allow`; a 404 of
 * a route that answers this method (a missing resource) stays as it is.
 */
function methodNotAllowed(exception: unknown, req: Request, res: Response): unknown {
  if (!(exception instanceof NotFoundException)) return exception;
  const allowed = allowedMethods(req);
  if (allowed.length === 0 || allowed.includes(req.method)) return exception;
  res.setHeader('Allow', allowed.join(', '));
  return new DomainError(
    'METHOD_NOT_ALLOWED',
    `${req.method} is not supported on ${req.path}; allowed: ${allowed.join(', ')}`,
  );
}
