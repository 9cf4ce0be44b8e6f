import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '@app/common';

/** @nestjs/throttler's guard answering 429 RATE_LIMITED with Retry-After, in the API's error shape. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    return Promise.reject(DomainError.rateLimited(detail.timeToBlockExpire));
  }
}
