import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptedRequestId(incoming: unknown): string | undefined {
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : undefined;
}

export function requestIdOf(req: IncomingMessage): string {
  return typeof req.id === 'string' ? req.id : '';
}

export function assignRequestId(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  req.id = acceptedRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
  res.setHeader(REQUEST_ID_HEADER, req.id);
  next();
}
