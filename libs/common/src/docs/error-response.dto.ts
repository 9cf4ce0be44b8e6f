import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '../errors/domain-error';

export class ErrorDetailDto {
  @ApiProperty({ example: 'email', description: 'Path of the offending field' })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode!: number;

  @ApiProperty({
    enum: ERROR_CODES,
    example: 'VALIDATION_FAILED',
    description: 'Stable machine code',
  })
  error!: ErrorCode;

  @ApiProperty({ example: 'Validation failed' })
  message!: string;

  @ApiProperty({ type: [ErrorDetailDto] })
  details!: ErrorDetailDto[];

  @ApiProperty({
    example: '3f1c2a9e-6d1b-4f8e-9a51-0c2d7e4b8a10',
    description: 'Echo of X-Request-Id',
  })
  requestId!: string;
}
