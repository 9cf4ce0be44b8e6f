import type { NextFunction, Request, Response } from 'express';

export const UNMATCHED_ROUTE = 'unmatched';

// Middleware mounted for every path (the request logger) is an Express route too, so a request
// that no handler matched still carries that catch-all route.
const CATCH_ALL = /\{\*|\*/;

export function routeLabel(req: Request): string {
  const route: unknown = req.route;
  if (typeof route !== 'object' || route === null) return UNMATCHED_ROUTE;
  const path: unknown = (route as { path?: unknown }).path;
  if (typeof path !== 'string' || CATCH_ALL.test(path)) return UNMATCHED_ROUTE;
  return `${req.baseUrl}${path}`;
}

export type HttpObservation = (
  labels: { method: string; route: string; status_code: string },
  seconds: number,
) => void;

export function observeHttpRequests(observe: HttpObservation) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      observe(
        { method: req.method, route: routeLabel(req), status_code: String(res.statusCode) },
        seconds,
      );
    });
    next();
  };
}
