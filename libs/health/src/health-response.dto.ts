import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';

  @ApiProperty({
    description: 'Each checked dependency and its status',
    example: { database: { status: 'up' }, redis: { status: 'up' } },
    additionalProperties: { type: 'object', properties: { status: { type: 'string' } } },
  })
  info!: Record<string, { status: string }>;

  @ApiProperty({ example: {}, additionalProperties: { type: 'object' } })
  error!: Record<string, unknown>;

  @ApiProperty({
    example: { database: { status: 'up' } },
    additionalProperties: { type: 'object', properties: { status: { type: 'string' } } },
  })
  details!: Record<string, { status: string }>;
}
