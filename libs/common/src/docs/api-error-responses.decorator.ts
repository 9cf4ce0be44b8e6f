import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed, malformed JSON, a forbidden key ("$…", "a.b", __proto__) or nesting deeper than 32',
  401: 'Missing or invalid credentials',
  402: 'Not enough tokens',
  403: 'Not allowed for this user',
  404: 'Not found',
  409: 'Conflicts with existing data',
  413: 'Request body too large',
  429: 'Rate limited; see Retry-After',
  500: 'Unexpected error (nothing internal is exposed)',
  503: 'A dependency is unavailable',
};

export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
