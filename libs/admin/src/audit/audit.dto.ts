import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageDtoOf, ApiObjectIdProperty, IsOmittable, PageQueryDto } from '@app/common';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntryRecord } from './audit.record';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: 'Only entries of this action' })
  @IsOmittable()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;
}

export class AuditTargetDto {
  @ApiProperty({ example: 'coupon', description: 'What kind of thing changed' })
  type!: string;

  @ApiProperty({ type: String, nullable: true, example: '665f1c2e9b1d8c0012345679' })
  id!: string | null;
}

export class AuditEntryDto {
  @ApiObjectIdProperty({ example: '665f1c2e9b1d8c0012345680' })
  id!: string;

  @ApiObjectIdProperty({ description: 'The admin who acted' })
  actorId!: string;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'coupon.update' })
  action!: AuditAction;

  @ApiProperty({ type: AuditTargetDto })
  target!: AuditTargetDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The change (never a secret such as an invite code)',
    example: { changes: { maxRedemptions: 200 } },
  })
  details!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;
}

export class AuditPageDto extends PageDtoOf(AuditEntryDto) {}

export function toAuditEntryResponse(entry: AuditEntryRecord): AuditEntryDto {
  return {
    id: entry.id,
    actorId: entry.actorId,
    action: entry.action,
    target: entry.target,
    details: entry.details,
    createdAt: entry.createdAt.toISOString(),
  };
}
