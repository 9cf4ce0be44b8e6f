import type { Request } from 'express';
import { METHODS } from 'node:http';

interface RouteLayer {
  match(path: string): boolean;
  route?: { _methods(includeAll?: boolean): string[] };
}

/**
 * The methods the application's routes answer on this request's path (HEAD with GET), read from
 * the Express router; empty when no route has this path. Middleware mounted for every method (the
 * request logger) is a route too, and is left out.
 */
export function allowedMethods(req: Request): string[] {
  const router = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router;
  // originalUrl: a handler mounted under a prefix sees req.path without it.
  const path = req.originalUrl.split('?')[0];
  const methods = new Set<string>();
  for (const layer of router?.stack ?? []) {
    const routeMethods = layer.route?._methods(false) ?? [];
    if (routeMethods.length === 0 || routeMethods.length >= METHODS.length) continue;
    if (!layer.match(path)) continue;
    for (const method of routeMethods) methods.add(method);
  }
  return [...methods].sort();
}
