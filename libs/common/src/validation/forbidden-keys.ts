import type { NextFunction, Request, Response } from 'express';
import { ApiError, type ErrorDetail } from '../errors/api-error';

function isForbiddenKey(key: string): boolean {
  return key.startsWith('$') || key.includes('.');
}

function querySegments(key: string): string[] {
  return key.split(/[[\]]+/).filter((segment) => segment.length > 0);
}

export function findForbiddenKeys(
  value: unknown,
  segmentsOf: (key: string) => string[] = (key) => [key],
): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    for (const [key, child] of Object.entries(item.value)) {
      const path = item.path === '' ? key : `${item.path}.${key}`;
      const forbidden = !Array.isArray(item.value) && segmentsOf(key).some(isForbiddenKey);
      if (forbidden) found.push(path);
      else pending.push({ value: child, path });
    }
  }
  return found.sort();
}

export function forbiddenKeyDetails(body: unknown, query: unknown): ErrorDetail[] {
  const detail = (where: string) => (field: string) => ({
    field,
    message: `${where} keys must not start with "$" or contain "."`,
  });
  return [
    ...findForbiddenKeys(body).map(detail('body')),
    ...findForbiddenKeys(query, querySegments).map(detail('query')),
  ];
}

export function rejectForbiddenKeys(req: Request, _res: Response, next: NextFunction): void {
  const details = forbiddenKeyDetails(req.body, req.query);
  if (details.length === 0) {
    next();
    return;
  }
  next(ApiError.validation(details, 'Keys starting with "$" or containing "." are not allowed'));
}
