import { ApiProperty } from '@nestjs/swagger';
import { PageDtoOf, ApiObjectIdProperty } from '@app/common';
import { LEDGER_REASONS, type LedgerReason } from '../token-schemas';
import type { LedgerRecord } from '../tokens.repository';

export class BalanceDto {
  @ApiProperty({ type: 'integer', example: 97 })
  balance!: number;
}

export class LedgerEntryDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({
    type: 'integer',
    example: -1,
    description: 'Tokens added (positive) or spent (negative)',
  })
  delta!: number;

  @ApiProperty({ enum: LEDGER_REASONS, example: 'message' })
  reason!: LedgerReason;

  @ApiProperty({ type: 'integer', example: 97 })
  balanceAfter!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What the entry is about: a message, capsule or coupon id, the granting admin',
    example: '665f1c2e9b1d8c0012345679',
  })
  ref!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;
}

export class LedgerPageDto extends PageDtoOf(LedgerEntryDto) {}

export function toLedgerEntry(entry: LedgerRecord): LedgerEntryDto {
  return {
    id: entry.id,
    delta: entry.delta,
    reason: entry.reason,
    balanceAfter: entry.balanceAfter,
    ref: entry.ref,
    createdAt: entry.createdAt.toISOString(),
  };
}
