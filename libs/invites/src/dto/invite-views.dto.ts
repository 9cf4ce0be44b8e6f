import { ApiProperty } from '@nestjs/swagger';
import { ApiObjectIdProperty, mapPage, type Page, PageDtoOf } from '@app/common';
import { UserPublicDto } from '@app/users';
import { formatInviteCode } from '../invite-code';
import { INVITE_STATUSES, type InviteStatus, type InviteView } from '../invite.record';
import type { InviteListing } from '../invites.service';

const CODE_EXAMPLE = 'K7QM-3XPA-9RTD';

export class CreatedInviteDto {
  @ApiProperty({
    example: CODE_EXAMPLE,
    description: 'Case-insensitive; dashes and spaces are ignored when it is typed',
  })
  code!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-05T10:00:00.000Z' })
  expiresAt!: string;
}

export class InviteeDto {
  @ApiProperty({ type: UserPublicDto })
  user!: UserPublicDto;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T08:30:00.000Z' })
  usedAt!: string;
}

export class InviteItemDto {
  @ApiObjectIdProperty({ description: 'Use as ?cursor= for paging' })
  id!: string;

  @ApiProperty({ example: CODE_EXAMPLE })
  code!: string;

  @ApiProperty({
    enum: INVITE_STATUSES,
    example: 'active',
    description: 'revoked, else used (no use left), else expired, else active',
  })
  status!: InviteStatus;

  @ApiProperty({ type: 'integer', example: 1 })
  maxUses!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  uses!: number;

  @ApiProperty({ format: 'date-time', example: '2026-12-05T10:00:00.000Z' })
  expiresAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  revokedAt!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    type: [InviteeDto],
    description: 'Who signed up with the code (public views only); empty while unused',
  })
  invitees!: InviteeDto[];
}

export class InvitePageDto extends PageDtoOf(InviteItemDto) {}

export class InviteCheckDto {
  @ApiProperty({ example: true, description: 'Whether a signup could use the code right now' })
  valid!: boolean;
}

export function toCreatedInvite(invite: InviteView): CreatedInviteDto {
  return { code: invite.code, expiresAt: invite.expiresAt.toISOString() };
}

export function toInviteItem(invite: InviteListing): InviteItemDto {
  return {
    id: invite.id,
    code: formatInviteCode(invite.code),
    status: invite.status,
    maxUses: invite.maxUses,
    uses: invite.uses,
    expiresAt: invite.expiresAt.toISOString(),
    revokedAt: invite.revokedAt?.toISOString() ?? null,
    createdAt: invite.createdAt.toISOString(),
    invitees: invite.invitees.map(({ user, usedAt }) => ({
      user,
      usedAt: usedAt.toISOString(),
    })),
  };
}

export function toInvitePage(page: Page<InviteListing>): InvitePageDto {
  return mapPage(page, toInviteItem);
}
