import type { Request } from 'express';
import { routeLabel, UNMATCHED_ROUTE } from './http-metrics';

describe('routeLabel', () => {
  it('uses the route pattern, never the concrete path', () => {
    const req = { baseUrl: '', route: { path: '/api/v1/users/:id' }, path: '/api/v1/users/42' };
    expect(routeLabel(req as unknown as Request)).toBe('/api/v1/users/:id');
  });

  it('labels requests that matched no route as unmatched', () => {
    expect(routeLabel({ baseUrl: '', path: '/random/123' } as unknown as Request)).toBe(
      UNMATCHED_ROUTE,
    );
    const caughtByMiddleware = { baseUrl: '', route: { path: '/api/v1/{*path}' } };
    expect(routeLabel(caughtByMiddleware as unknown as Request)).toBe(UNMATCHED_ROUTE);
  });
});
