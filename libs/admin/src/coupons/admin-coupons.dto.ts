import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Matches } from 'class-validator';
import {
  PageDtoOf,
  ApiObjectIdProperty,
  ApiSchemaRules,
  DateTimeField,
  IsOmittable,
  PageQueryDto,
} from '@app/common';
import {
  COUPON_CODE_INPUT_PATTERN,
  COUPON_CODE_PATTERN,
  COUPON_STATUSES,
  type CouponRecord,
  type CouponStatus,
  couponStatus,
  normalizeCouponCode,
} from '@app/coupons';
import { ActiveField, AmountField, MaxRedemptionsField } from './coupon-fields';

const EXPIRES_AT = {
  description: 'When the coupon stops redeeming (in the future); null or absent: never',
  example: '2026-12-31T23:59:59Z',
};

export class CreateCouponDto {
  @ApiPropertyOptional({
    description:
      '4–32 letters and digits; stored upper-cased with spaces and dashes removed ' +
      '(redeeming ignores case, spaces and dashes too). Absent: 12 random symbols.',
    example: 'WELCOME2026',
    pattern: COUPON_CODE_INPUT_PATTERN,
  })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeCouponCode(value) : value,
  )
  @IsString()
  @Matches(COUPON_CODE_PATTERN, {
    message: 'code must be 4 to 32 letters or digits (spaces and dashes are ignored)',
  })
  code?: string;

  @AmountField()
  amount!: number;

  @MaxRedemptionsField()
  maxRedemptions!: number;

  @DateTimeField({ ...EXPIRES_AT, optional: true, nullable: true })
  expiresAt?: Date | null;

  @ActiveField()
  active?: boolean;
}

@ApiSchemaRules({
  description: 'The fields to change: at least one (an empty body answers 400)',
  minProperties: 1,
})
export class UpdateCouponDto {
  @AmountField(true)
  amount?: number;

  @MaxRedemptionsField(true)
  maxRedemptions?: number;

  @DateTimeField({ ...EXPIRES_AT, optional: true, nullable: true })
  expiresAt?: Date | null;

  @ActiveField()
  active?: boolean;
}

export class CouponListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Also list deleted coupons', default: false })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  includeDeleted?: boolean;
}

export class CouponDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ example: 'WELCOME-2026' })
  code!: string;

  @ApiProperty({ type: 'integer', example: 50, description: 'Tokens granted per redemption' })
  amount!: number;

  @ApiProperty({ type: 'integer', example: 100 })
  maxRedemptions!: number;

  @ApiProperty({ type: 'integer', example: 12, description: 'Redemptions so far' })
  redemptions!: number;

  @ApiProperty({
    enum: COUPON_STATUSES,
    example: 'active',
    description: 'active (redeems now), inactive, expired, exhausted or deleted',
  })
  status!: CouponStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  expiresAt!: string | null;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  deletedAt!: string | null;

  @ApiObjectIdProperty({ nullable: true, example: '665f1c2e9b1d8c0012345679' })
  createdBy!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;
}

export class CouponPageDto extends PageDtoOf(CouponDto) {}

export function toCouponResponse(coupon: CouponRecord, now: Date): CouponDto {
  return {
    id: coupon.id,
    code: coupon.code,
    amount: coupon.amount,
    maxRedemptions: coupon.maxRedemptions,
    redemptions: coupon.redemptions,
    status: couponStatus(coupon, now),
    expiresAt: coupon.expiresAt?.toISOString() ?? null,
    active: coupon.active,
    deletedAt: coupon.deletedAt?.toISOString() ?? null,
    createdBy: coupon.createdBy,
    createdAt: coupon.createdAt.toISOString(),
  };
}
