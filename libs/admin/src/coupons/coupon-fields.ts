import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '@app/common';

export const MAX_COUPON_AMOUNT = 1_000_000;
export const MAX_COUPON_REDEMPTIONS = 1_000_000;

function optionalOr(optional: boolean, doc: Parameters<typeof ApiProperty>[0]): PropertyDecorator {
  return optional ? applyDecorators(ApiPropertyOptional(doc), IsOmittable()) : ApiProperty(doc);
}

export function AmountField(optional = false): PropertyDecorator {
  return applyDecorators(
    optionalOr(optional, {
      description: 'Tokens granted per redemption',
      type: 'integer',
      minimum: 1,
      maximum: MAX_COUPON_AMOUNT,
      example: 50,
    }),
    IsInt(),
    Min(1),
    Max(MAX_COUPON_AMOUNT),
  );
}

export function MaxRedemptionsField(optional = false): PropertyDecorator {
  return applyDecorators(
    optionalOr(optional, {
      description: 'Redemptions allowed in all (each user once); never below those so far',
      type: 'integer',
      minimum: 1,
      maximum: MAX_COUPON_REDEMPTIONS,
      example: 100,
    }),
    IsInt(),
    Min(1),
    Max(MAX_COUPON_REDEMPTIONS),
  );
}

export function ActiveField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Only active coupons redeem', default: true }),
    IsOmittable(),
    IsBoolean(),
  );
}
