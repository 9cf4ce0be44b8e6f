import type { Response } from 'supertest';

/**
 * Asserts the whole error body of the API: status, code, message, details, and the request id
 * the response echoed.
 */
export function expectError(
  res: Response,
  statusCode: number,
  error: string,
  message: string,
  details: readonly object[] = [],
): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status: statusCode,
    body: { statusCode, error, message, details, requestId: res.headers['x-request-id'] },
  });
}
