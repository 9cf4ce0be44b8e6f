/** A coupon as the rest of the application sees it: a plain object, ids as hex strings. */
export interface CouponRecord {
  id: string;
  code: string;
  amount: number;
  maxRedemptions: number;
  redemptions: number;
  expiresAt: Date | null;
  active: boolean;
  deletedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface NewCoupon {
  code: string;
  amount: number;
  maxRedemptions: number;
  expiresAt: Date | null;
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
}

export interface CouponInput {
  code?: string;
  amount: number;
  maxRedemptions: number;
  expiresAt?: Date | null;
  active?: boolean;
}

export interface CouponChanges {
  amount?: number;
  maxRedemptions?: number;
  expiresAt?: Date | null;
  active?: boolean;
}

/** The changes actually asked for: keys whose value is undefined dropped. */
export function couponChanges(input: CouponChanges): CouponChanges {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

export const COUPON_STATUSES = ['active', 'inactive', 'expired', 'exhausted', 'deleted'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];

/** What a coupon is at `now`; only `active` ones redeem. */
export function couponStatus(coupon: CouponRecord, now: Date): CouponStatus {
  if (coupon.deletedAt) return 'deleted';
  if (!coupon.active) return 'inactive';
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (coupon.redemptions >= coupon.maxRedemptions) return 'exhausted';
  return 'active';
}
