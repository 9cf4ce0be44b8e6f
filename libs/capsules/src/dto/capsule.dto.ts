import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiObjectIdProperty } from '@app/common';
import { OPEN_ON_VALUES, type OpenOn } from '../capsule.schema';
import type { CapsuleRecord } from '../capsules.repository';

export class CapsuleDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ description: 'True until deliverAt: a sealed capsule shows no message' })
  sealed!: boolean;

  @ApiPropertyOptional({
    description: 'Plain text (render as text, never as HTML); absent while sealed',
    example: 'Dear me in ten years: did you learn the cello?',
  })
  message?: string;

  @ApiProperty({ format: 'date-time', example: '2030-05-17T09:00:00.000Z' })
  deliverAt!: string;

  @ApiProperty({
    enum: OPEN_ON_VALUES,
    nullable: true,
    description: 'next-birthday when deliverAt was set from your birthday; null when given',
  })
  openOn!: OpenOn | null;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2030-05-17T09:00:01.000Z',
    description: 'When it opened; absent while sealed',
  })
  deliveredAt?: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;
}

export class CapsuleListDto {
  @ApiProperty({ type: [CapsuleDto], description: 'Your capsules, the latest deliverAt last' })
  items!: CapsuleDto[];
}

/** A capsule as its owner sees it: the message only once it was delivered. */
export function toCapsuleDto(capsule: CapsuleRecord): CapsuleDto {
  const base = {
    id: capsule.id,
    deliverAt: capsule.deliverAt.toISOString(),
    openOn: capsule.openOn,
    createdAt: capsule.createdAt.toISOString(),
  };
  if (capsule.status === 'sealed' || capsule.deliveredAt === null) return { ...base, sealed: true };
  return {
    ...base,
    sealed: false,
    message: capsule.message,
    deliveredAt: capsule.deliveredAt.toISOString(),
  };
}
