import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, AppConfig } from '@app/common';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * With METRICS_TOKEN set (always in production), /metrics answers only to
 * `Authorization: Bearer <METRICS_TOKEN>`; the comparison takes the same time whatever is sent.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: AppConfig) {
    const token = config.get('METRICS_TOKEN');
    this.expected = token === undefined ? undefined : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === undefined) return true;
    const http = context.switchToHttp();
    const header = http.getRequest<Request>().headers.authorization ?? '';
    const presented = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    if (timingSafeEqual(digest(presented), this.expected)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    throw DomainError.unauthorized('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
  }
}
