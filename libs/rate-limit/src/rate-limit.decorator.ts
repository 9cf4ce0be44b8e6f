import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import { RateLimitGuard } from './rate-limit.guard';

export const RATE_LIMITS_KEY = 'rate-limit:names';

/** Limits a route by the named throttlers of RateLimitModule (429 RATE_LIMITED past them). */
export function RateLimit(...names: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMITS_KEY, names),
    UseGuards(RateLimitGuard),
    ApiResponse({
      status: 429,
      description: 'Rate limited; Retry-After gives the seconds to wait',
      type: ErrorResponseDto,
    }),
  );
}
