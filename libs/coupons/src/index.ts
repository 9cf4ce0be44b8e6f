export {
  COUPON_CODE_INPUT_PATTERN,
  COUPON_CODE_PATTERN,
  generateCouponCode,
  normalizeCouponCode,
} from './coupon-code';
export {
  COUPON_STATUSES,
  type CouponChanges,
  couponChanges,
  type CouponInput,
  type CouponRecord,
  type CouponStatus,
  couponStatus,
} from './coupon.record';
export { CouponsModule } from './coupons.module';
export { couponInvalid, type Redemption, CouponsService } from './coupons.service';
export { RedeemCouponDto, RedeemResultDto } from './dto/redeem-coupon.dto';
