import { ApiProperty } from '@nestjs/swagger';
import type { SessionListing } from '@app/auth';
import { CapsuleDto } from '@app/capsules';
import { ApiObjectIdProperty } from '@app/common';
import { InviteItemDto } from '@app/invites';
import { MessageDto } from '@app/messages';
import { ReportReceiptDto } from '@app/reports';
import { LedgerEntryDto } from '@app/tokens';
import { UserPrivateDto, UserPublicDto } from '@app/users';

const DATE_TIME = { format: 'date-time', example: '2026-11-21T10:00:00.000Z' } as const;

/** One of the user's sessions as the export shows it: never a token or its hash. */
export class ExportedSessionDto {
  @ApiProperty({ example: 'kq3XvP0r2m9TfQ1hW7c8bA' })
  id!: string;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty(DATE_TIME)
  lastUsedAt!: string;

  @ApiProperty(DATE_TIME)
  expiresAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, type: String })
  revokedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'logout' })
  revokedReason!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  userAgent!: string | null;

  @ApiProperty({ description: 'The session this export was asked from' })
  current!: boolean;
}

export class RedeemedCouponDto {
  @ApiObjectIdProperty()
  couponId!: string;

  @ApiProperty(DATE_TIME)
  redeemedAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, type: String })
  grantedAt!: string | null;
}

export class ShownSponsorDto {
  @ApiObjectIdProperty()
  sponsorId!: string;

  @ApiProperty({ example: 'day-1990-05-17' })
  roomKey!: string;

  @ApiProperty(DATE_TIME)
  shownAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, type: String })
  clickedAt!: string | null;
}

/** Everything the service holds about the caller, in one document. */
export class AccountExportDto {
  @ApiProperty(DATE_TIME)
  exportedAt!: string;

  @ApiProperty({ type: UserPrivateDto, description: 'Profile, with the token balance' })
  profile!: UserPrivateDto;

  @ApiProperty({
    type: UserPublicDto,
    nullable: true,
    description: 'Who invited you (public view); null for the first admin or a deleted inviter',
  })
  invitedBy!: UserPublicDto | null;

  @ApiProperty({ type: [ExportedSessionDto], description: 'Newest first' })
  sessions!: ExportedSessionDto[];

  @ApiProperty({ type: [LedgerEntryDto], description: 'Every entry, newest first' })
  ledger!: LedgerEntryDto[];

  @ApiProperty({ type: [InviteItemDto], description: 'The codes you made, newest first' })
  invites!: InviteItemDto[];

  @ApiProperty({ type: [CapsuleDto], description: 'Sealed and opened, with their messages' })
  capsules!: CapsuleDto[];

  @ApiProperty({
    type: [MessageDto],
    description:
      'Your messages still stored (past their 24 hours too, until retention), oldest first',
  })
  messages!: MessageDto[];

  @ApiProperty({ type: [ReportReceiptDto], description: 'The reports you filed, oldest first' })
  reports!: ReportReceiptDto[];

  @ApiProperty({ type: [RedeemedCouponDto], description: 'The coupons you redeemed, oldest first' })
  couponsRedeemed!: RedeemedCouponDto[];

  @ApiProperty({
    type: [ShownSponsorDto],
    description: 'The sponsors shown to you on entering a room, oldest first',
  })
  sponsorsShown!: ShownSponsorDto[];
}

export function toExportedSession(session: SessionListing, currentId: string): ExportedSessionDto {
  return {
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    revokedAt: session.revokedAt?.toISOString() ?? null,
    revokedReason: session.revokedReason,
    userAgent: session.userAgent,
    current: session.id === currentId,
  };
}
