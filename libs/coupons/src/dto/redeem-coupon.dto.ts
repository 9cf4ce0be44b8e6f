import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RedeemCouponDto {
  @ApiProperty({
    description:
      'The coupon code; case, spaces and dashes do not matter. A code that cannot redeem, ' +
      'malformed ones included, answers 400 COUPON_INVALID.',
    example: 'welcome-2026',
    minLength: 1,
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  code!: string;
}

export class RedeemResultDto {
  @ApiProperty({ type: 'integer', example: 50, description: 'Tokens the coupon added' })
  granted!: number;

  @ApiProperty({ type: 'integer', example: 150, description: 'Your balance after the grant' })
  balance!: number;
}
