import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import {
  ApiObjectIdProperty,
  ApiSchemaRules,
  DateTimeField,
  IsOmittable,
  PageDtoOf,
  PageQueryDto,
} from '@app/common';
import {
  SPONSOR_STATUSES,
  type SponsorRecord,
  type SponsorStats,
  type SponsorStatus,
  sponsorStatus,
} from '@app/sponsors';
import { ROOM_KINDS, type RoomKind } from '@app/users';
import {
  ActiveField,
  DisplaySecondsField,
  ImageUrlField,
  LinkUrlField,
  NameField,
  RoomKeysField,
  RoomKindsField,
  TextField,
  WeightField,
} from './sponsor-fields';

const STARTS_AT = {
  description: 'When the sponsor starts being shown (inclusive)',
  example: '2026-11-01T00:00:00Z',
};
const ENDS_AT = {
  description: 'When it stops being shown (exclusive); after startsAt',
  example: '2027-01-01T00:00:00Z',
};

export class CreateSponsorDto {
  @NameField()
  name!: string;

  @TextField()
  text!: string;

  @ImageUrlField()
  imageUrl?: string | null;

  @LinkUrlField()
  linkUrl!: string;

  @DateTimeField(STARTS_AT)
  startsAt!: Date;

  @DateTimeField(ENDS_AT)
  endsAt!: Date;

  @ActiveField()
  active?: boolean;

  @WeightField()
  weight?: number;

  @DisplaySecondsField()
  displaySeconds?: number;

  @RoomKindsField()
  roomKinds?: RoomKind[];

  @RoomKeysField()
  roomKeys?: string[];
}

@ApiSchemaRules({
  description: 'The fields to change: at least one (an empty body answers 400)',
  minProperties: 1,
})
export class UpdateSponsorDto {
  @NameField(true)
  name?: string;

  @TextField(true)
  text?: string;

  @ImageUrlField()
  imageUrl?: string | null;

  @LinkUrlField(true)
  linkUrl?: string;

  @DateTimeField({ ...STARTS_AT, optional: true })
  startsAt?: Date;

  @DateTimeField({ ...ENDS_AT, optional: true })
  endsAt?: Date;

  @ActiveField()
  active?: boolean;

  @WeightField()
  weight?: number;

  @DisplaySecondsField()
  displaySeconds?: number;

  @RoomKindsField()
  roomKinds?: RoomKind[];

  @RoomKeysField()
  roomKeys?: string[];
}

export class SponsorListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Also list deleted sponsors', default: false })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  includeDeleted?: boolean;
}

export class SponsorDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ example: 'Cake & Co.' })
  name!: string;

  @ApiProperty({ example: 'A birthday cake for the whole room, 20% off this week.' })
  text!: string;

  @ApiProperty({ type: String, nullable: true, example: 'https://cdn.example.com/cake.png' })
  imageUrl!: string | null;

  @ApiProperty({ example: 'https://example.com/spring-sale' })
  linkUrl!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00.000Z' })
  startsAt!: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-01T00:00:00.000Z' })
  endsAt!: string;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ type: 'integer', example: 1 })
  weight!: number;

  @ApiProperty({ type: 'integer', example: 5 })
  displaySeconds!: number;

  @ApiProperty({ enum: ROOM_KINDS, isArray: true, example: ['date'] })
  roomKinds!: RoomKind[];

  @ApiProperty({ type: [String], example: ['day-1990-05-17'] })
  roomKeys!: string[];

  @ApiProperty({
    enum: SPONSOR_STATUSES,
    example: 'running',
    description: 'running (shown now where targeted), scheduled, ended, inactive or deleted',
  })
  status!: SponsorStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  deletedAt!: string | null;

  @ApiObjectIdProperty({ nullable: true, example: '665f1c2e9b1d8c0012345679' })
  createdBy!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-10-21T10:00:00.000Z' })
  createdAt!: string;
}

export class SponsorPageDto extends PageDtoOf(SponsorDto) {}

class SponsorCountsDto {
  @ApiProperty({ type: 'integer', example: 120 })
  impressions!: number;

  @ApiProperty({ type: 'integer', example: 80, description: 'Distinct users shown the sponsor' })
  uniqueUsers!: number;

  @ApiProperty({ type: 'integer', example: 6, description: 'At most one per impression' })
  clicks!: number;

  @ApiProperty({ example: 0.05, description: 'clicks / impressions (4 decimals), 0 without any' })
  ctr!: number;
}

class SponsorRoomStatsDto extends SponsorCountsDto {
  @ApiProperty({ example: 'date-05-17' })
  roomKey!: string;
}

class SponsorDayStatsDto extends SponsorCountsDto {
  @ApiProperty({ example: '2026-11-21', description: 'UTC day' })
  day!: string;
}

export class SponsorStatsDto extends SponsorCountsDto implements SponsorStats {
  @ApiObjectIdProperty()
  sponsorId!: string;

  @ApiProperty({ type: [SponsorRoomStatsDto], description: 'Per room, by key' })
  byRoom!: SponsorRoomStatsDto[];

  @ApiProperty({
    type: [SponsorDayStatsDto],
    description: 'Per UTC day of the impression, oldest first',
  })
  byDay!: SponsorDayStatsDto[];
}

export function toSponsorResponse(sponsor: SponsorRecord, now: Date): SponsorDto {
  return {
    id: sponsor.id,
    name: sponsor.name,
    text: sponsor.text,
    imageUrl: sponsor.imageUrl,
    linkUrl: sponsor.linkUrl,
    startsAt: sponsor.startsAt.toISOString(),
    endsAt: sponsor.endsAt.toISOString(),
    active: sponsor.active,
    weight: sponsor.weight,
    displaySeconds: sponsor.displaySeconds,
    roomKinds: sponsor.roomKinds,
    roomKeys: sponsor.roomKeys,
    status: sponsorStatus(sponsor, now),
    deletedAt: sponsor.deletedAt?.toISOString() ?? null,
    createdBy: sponsor.createdBy,
    createdAt: sponsor.createdAt.toISOString(),
  };
}
