import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { IsOmittable } from '@app/common';
import { STATS_DEFAULT_DAYS, STATS_MAX_DAYS } from './stats-range';

export class StatsQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    example: '2026-11-01',
    description: `First UTC day (YYYY-MM-DD), included; defaults to ${STATS_DEFAULT_DAYS} days ending at to. Not after to; at most ${STATS_MAX_DAYS} days from from to to.`,
  })
  @IsOmittable()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-11-21',
    description: 'Last UTC day (YYYY-MM-DD), included; defaults to today (UTC)',
  })
  @IsOmittable()
  @IsString()
  to?: string;
}

const ApiCount = (example: number, description: string) =>
  ApiProperty({ type: 'integer', minimum: 0, example, description });

export class StatsTotalsDto {
  @ApiCount(1520, 'Every account now, banned ones included')
  users!: number;

  @ApiCount(240, 'Accounts created in the range')
  signups!: number;

  @ApiCount(
    310,
    'Distinct users who signed in or refreshed a session in the 24 h before generatedAt',
  )
  activeUsers24h!: number;

  @ApiCount(780, 'The same over the 7 days before generatedAt')
  activeUsers7d!: number;

  @ApiCount(4200, 'Messages posted in the 24 h before generatedAt')
  messages24h!: number;

  @ApiCount(35, 'Capsules sealed in the range (cancelled ones are gone)')
  capsulesSealed!: number;

  @ApiCount(12, 'Capsules delivered in the range')
  capsulesDelivered!: number;

  @ApiCount(26000, 'Sum of the positive ledger deltas in the range (signup, coupon, admin, refund)')
  tokensGranted!: number;

  @ApiCount(18000, 'Sum of the negative ledger deltas in the range, as a positive number')
  tokensSpent!: number;

  @ApiCount(230, 'Invite uses (signups through a code) in the range')
  invitesUsed!: number;

  @ApiCount(9000, 'Sponsor impressions shown in the range')
  sponsorImpressions!: number;

  @ApiCount(410, 'Sponsor clicks made in the range')
  sponsorClicks!: number;
}

export class StatsDayDto {
  @ApiProperty({ format: 'date', example: '2026-11-21', description: 'UTC day' })
  day!: string;

  @ApiCount(8, 'Accounts created that day')
  signups!: number;

  @ApiCount(140, 'Messages posted that day and still stored (see MESSAGE_RETENTION_HOURS)')
  messages!: number;

  @ApiCount(600, 'Tokens spent that day')
  tokensSpent!: number;

  @ApiCount(450, 'Sponsor impressions shown that day')
  sponsorImpressions!: number;
}

export class AdminStatsDto {
  @ApiProperty({ format: 'date', example: '2026-11-01', description: 'First UTC day, included' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-11-21', description: 'Last UTC day, included' })
  to!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-11-21T10:00:00.000Z',
    description: 'When these numbers were counted: a cached answer is at most 60 s older',
  })
  generatedAt!: string;

  @ApiProperty({ type: StatsTotalsDto })
  totals!: StatsTotalsDto;

  @ApiProperty({
    type: [StatsDayDto],
    description: 'One entry per UTC day of the range, oldest first, 0 on days without any',
  })
  daily!: StatsDayDto[];
}
