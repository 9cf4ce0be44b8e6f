import { DateTimeField } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_INVITE_USES = 10_000;

export class CreateMultiUseInviteDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_INVITE_USES, example: 50 })
  @IsInt()
  @Min(1)
  @Max(MAX_INVITE_USES)
  maxUses!: number;

  @DateTimeField({
    description: 'In the future, at most one year ahead',
    example: '2026-12-31T23:59:59Z',
  })
  expiresAt!: Date;
}

export class MultiUseInviteDto {
  @ApiProperty({ example: 'K7QM-R4TX-9PWC' })
  code!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-31T23:59:59.000Z' })
  expiresAt!: string;

  @ApiProperty({ type: 'integer', example: 50 })
  maxUses!: number;
}
