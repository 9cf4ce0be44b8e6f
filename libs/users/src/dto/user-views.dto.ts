import { ApiProperty } from '@nestjs/swagger';
import { ApiObjectIdProperty, type Role, ROLES } from '@app/common';
import type { UserRecord } from '../user.record';

/** avatarUrl, in every view of a user. */
const ApiAvatarUrlProperty = (): PropertyDecorator =>
  ApiProperty({
    type: String,
    nullable: true,
    example: '/api/v1/avatars/6650f1c2a3b4c5d6e7f80912?v=3f2a9c0d1e4b5a6c',
    description:
      'Path of the avatar image (GET, no auth; resolve against the API origin). The `v` query ' +
      'changes whenever the image does, so a client may cache the URL forever. null only for ' +
      'an account that is gone (the author of an old message, say).',
  });

/** What anyone may see of a user: never the email or the birth date. */
export class UserPublicDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ example: 'Ada' })
  displayName!: string;

  @ApiAvatarUrlProperty()
  avatarUrl!: string | null;

  @ApiProperty({ example: 'Born on a rainy Tuesday.' })
  bio!: string;
}

/** What a user sees of themself (GET /auth/me). */
export class UserPrivateDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada' })
  displayName!: string;

  @ApiProperty({ example: 'Born on a rainy Tuesday.' })
  bio!: string;

  @ApiAvatarUrlProperty()
  avatarUrl!: string | null;

  @ApiProperty({ format: 'date', example: '1990-05-17', description: 'YYYY-MM-DD' })
  birthDate!: string;

  @ApiProperty({ enum: ROLES, example: 'user' })
  role!: Role;

  @ApiProperty({ type: 'integer', example: 100, description: 'Token balance' })
  tokens!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;
}

/** The public view of an account that no longer exists: the id kept where others still refer to it. */
export function deletedUserView(id: string): UserPublicDto {
  return { id, displayName: 'Deleted user', avatarUrl: null, bio: '' };
}

export function toUserPublic(user: UserRecord): UserPublicDto {
  return {
    id: user.id,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    bio: user.bio,
  };
}

export function toUserPrivate(user: UserRecord, tokens: number): UserPrivateDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    birthDate: user.birthDate,
    role: user.role,
    tokens,
    createdAt: user.createdAt.toISOString(),
  };
}
