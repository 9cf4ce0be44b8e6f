import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** A code that grants tokens; `redemptions` changes only by conditional `$inc`. */
@Schema({ collection: 'coupons', versionKey: false })
export class Coupon {
  /** Normalized: trimmed and upper-cased. */
  @Prop({ required: true, unique: true })
  code!: string;

  @Prop({ required: true, min: 1 })
  amount!: number;

  @Prop({ required: true, min: 1 })
  maxRedemptions!: number;

  @Prop({ required: true, default: 0, min: 0 })
  redemptions!: number;

  /** null: never expires. */
  @Prop({ type: Date, default: null })
  expiresAt!: Date | null;

  @Prop({ required: true, default: true })
  active!: boolean;

  /** Set by a (soft) delete; the coupon then never redeems again, its history stays. */
  @Prop({ type: Date, default: null })
  deletedAt!: Date | null;

  @Prop({ type: Types.ObjectId, default: null })
  createdBy!: Types.ObjectId | null;

  @Prop({ required: true })
  createdAt!: Date;
}

export const CouponSchema = SchemaFactory.createForClass(Coupon);
CouponSchema.index({ deletedAt: 1, _id: -1 });

/** One per user and coupon: the unique index is what makes "once per user" hold under races. */
@Schema({ collection: 'coupon_redemptions', versionKey: false })
export class CouponRedemption {
  @Prop({ type: Types.ObjectId, required: true })
  couponId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  createdAt!: Date;

  /** Set once the tokens are granted; a record without it for long was left by a crash. */
  @Prop({ type: Date, default: null })
  grantedAt!: Date | null;
}

export const CouponRedemptionSchema = SchemaFactory.createForClass(CouponRedemption);
CouponRedemptionSchema.index({ couponId: 1, userId: 1 }, { unique: true });
CouponRedemptionSchema.index({ userId: 1, _id: -1 });
