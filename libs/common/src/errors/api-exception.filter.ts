import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../http/request-id';
import { type ErrorBody, mapException } from './error-body';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { body, headers, unexpected } = mapException(exception);
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
