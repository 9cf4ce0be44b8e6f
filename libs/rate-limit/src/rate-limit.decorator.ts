import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import type { RateLimitDefinition } from './rate-limit.definition';
import { RateLimitGuard } from './rate-limit.guard';

export const RATE_LIMITS_KEY = 'rate-limit:names';

/** Limits a route by declared rate limits (429 RATE_LIMITED with Retry-After past them). */
export function RateLimit(
  ...limits: [RateLimitDefinition, ...RateLimitDefinition[]]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(
      RATE_LIMITS_KEY,
      limits.map(({ name }) => name),
    ),
    UseGuards(RateLimitGuard),
    ApiResponse({
      status: 429,
      description: 'Rate limited; Retry-After gives the seconds to wait',
      type: ErrorResponseDto,
    }),
  );
}
