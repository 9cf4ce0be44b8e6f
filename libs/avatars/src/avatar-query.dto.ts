import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { IsOmittable } from '@app/common';

export const AVATAR_VERSION_PATTERN = '^[0-9a-f]{16}$';

export class AvatarQueryDto {
  @ApiPropertyOptional({
    description:
      'The version from avatarUrl. When it is the current one the answer may be cached for a year (immutable); an older version (16 hex digits) still gets the current image, cached briefly; anything else is 400.',
    pattern: AVATAR_VERSION_PATTERN,
    example: '3f2a9c0d1e4b5a6c',
  })
  @IsOmittable()
  @IsString()
  @Matches(new RegExp(AVATAR_VERSION_PATTERN), { message: 'v must be 16 lowercase hex digits' })
  v?: string;
}
