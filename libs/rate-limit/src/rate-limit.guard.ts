import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiError } from '@app/common';

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError(429, 'RATE_LIMITED', `Too many requests; retry in ${seconds} s`, [], {
    'Retry-After': String(seconds),
  });
}

/** @nestjs/throttler's guard answering PRODUCT.md's 429 RATE_LIMITED body with Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    return Promise.reject(tooManyRequests(detail.timeToBlockExpire));
  }
}
