import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { duplicateKeyFields, newestFirst } from '@app/database';
import type { CouponChanges, CouponRecord, NewCoupon } from './coupon.record';
import { Coupon, CouponRedemption } from './coupon.schema';

type CouponDoc = Coupon & { _id: Types.ObjectId };

function toRecord(doc: CouponDoc): CouponRecord {
  return {
    id: doc._id.toHexString(),
    code: doc.code,
    amount: doc.amount,
    maxRedemptions: doc.maxRedemptions,
    redemptions: doc.redemptions,
    expiresAt: doc.expiresAt,
    active: doc.active,
    deletedAt: doc.deletedAt,
    createdBy: doc.createdBy?.toHexString() ?? null,
    createdAt: doc.createdAt,
  };
}

/** The filter of a coupon that can be redeemed at `now`: live, active, unexpired, not exhausted. */
function redeemable(id: string, now: Date): Record<string, unknown> {
  return {
    _id: id,
    deletedAt: null,
    active: true,
    $or: [{ expiresAt: null }, { expiresAt: trusted({ $gt: now }) }],
    $expr: trusted({ $lt: ['$redemptions', '$maxRedemptions'] }),
  };
}

/** A coupon a user redeemed. */
export interface RedeemedCoupon {
  couponId: string;
  redeemedAt: Date;
  grantedAt: Date | null;
}

@Injectable()
export class CouponsRepository {
  constructor(
    @InjectModel(Coupon.name) private readonly coupons: Model<Coupon>,
    @InjectModel(CouponRedemption.name) private readonly redemptions: Model<CouponRedemption>,
  ) {}

  /** The coupons the user redeemed, oldest first (their data export). */
  async redeemedBy(userId: string): Promise<RedeemedCoupon[]> {
    const docs = await this.redemptions
      .find({ userId: new Types.ObjectId(userId) }, { couponId: 1, createdAt: 1, grantedAt: 1 })
      .sort({ userId: 1, _id: 1 })
      .lean<{ couponId: Types.ObjectId; createdAt: Date; grantedAt: Date | null }[]>();
    return docs.map((doc) => ({
      couponId: doc.couponId.toHexString(),
      redeemedAt: doc.createdAt,
      grantedAt: doc.grantedAt,
    }));
  }

  /** The new coupon, or null when its code is taken (by a live or a deleted coupon). */
  async create(coupon: NewCoupon): Promise<CouponRecord | null> {
    try {
      const created = await this.coupons.create({
        ...coupon,
        redemptions: 0,
        deletedAt: null,
        createdBy: coupon.createdBy === null ? null : new Types.ObjectId(coupon.createdBy),
      });
      return toRecord(created.toObject<CouponDoc>());
    } catch (error) {
      if (duplicateKeyFields(error) !== null) return null;
      throw error;
    }
  }

  async findLiveByCode(code: string): Promise<CouponRecord | null> {
    const doc = await this.coupons.findOne({ code, deletedAt: null }).lean<CouponDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findById(id: string): Promise<CouponRecord | null> {
    const doc = await this.coupons.findById(id).lean<CouponDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Newest first, after the cursor coupon when one is given; limit + 1 rows for paging. */
  async page(
    cursor: string | undefined,
    limit: number,
    includeDeleted: boolean,
  ): Promise<CouponRecord[]> {
    const filter = includeDeleted ? {} : { deletedAt: null };
    const docs = await newestFirst(this.coupons, filter, cursor, limit).lean<CouponDoc[]>();
    return docs.map(toRecord);
  }

  /**
   * Applies admin changes to a live coupon; a new maxRedemptions only when it is not below the
   * redemptions so far (checked in the same atomic update). Null when nothing matched.
   */
  async update(id: string, changes: CouponChanges): Promise<CouponRecord | null> {
    const filter: Record<string, unknown> = { _id: id, deletedAt: null };
    if (changes.maxRedemptions !== undefined) {
      filter.redemptions = trusted({ $lte: changes.maxRedemptions });
    }
    const doc = await this.coupons
      .findOneAndUpdate(filter, { $set: changes }, { returnDocument: 'after' })
      .lean<CouponDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Soft delete of a live coupon: the new record, or null when there was none. */
  async softDelete(id: string, now: Date): Promise<CouponRecord | null> {
    const doc = await this.coupons
      .findOneAndUpdate(
        { _id: id, deletedAt: null },
        { $set: { deletedAt: now, active: false } },
        { returnDocument: 'after' },
      )
      .lean<CouponDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Takes one redemption if the coupon is redeemable at `now`: the coupon after, or null. */
  async takeRedemption(id: string, now: Date): Promise<CouponRecord | null> {
    const doc = await this.coupons
      .findOneAndUpdate(
        redeemable(id, now),
        { $inc: { redemptions: 1 } },
        { returnDocument: 'after' },
      )
      .lean<CouponDoc>();
    return doc ? toRecord(doc) : null;
  }

  async releaseRedemption(id: string): Promise<void> {
    await this.coupons.updateOne({ _id: id }, { $inc: { redemptions: -1 } });
  }

  /** Records that the user redeems the coupon: its id, or null when they already have. */
  async insertRedemption(couponId: string, userId: string, now: Date): Promise<string | null> {
    try {
      const created = await this.redemptions.create({
        couponId: new Types.ObjectId(couponId),
        userId: new Types.ObjectId(userId),
        createdAt: now,
      });
      return created._id.toHexString();
    } catch (error) {
      if (duplicateKeyFields(error) !== null) return null;
      throw error;
    }
  }

  async deleteRedemption(redemptionId: string): Promise<void> {
    await this.redemptions.deleteOne({ _id: redemptionId });
  }

  async findRedemption(
    couponId: string,
    userId: string,
  ): Promise<{ id: string; createdAt: Date; grantedAt: Date | null } | null> {
    const doc = await this.redemptions
      .findOne({ couponId: new Types.ObjectId(couponId), userId: new Types.ObjectId(userId) })
      .lean<{ _id: Types.ObjectId; createdAt: Date; grantedAt?: Date | null }>();
    return doc
      ? { id: doc._id.toHexString(), createdAt: doc.createdAt, grantedAt: doc.grantedAt ?? null }
      : null;
  }

  async markGranted(redemptionId: string, at: Date): Promise<void> {
    await this.redemptions.updateOne({ _id: redemptionId }, { $set: { grantedAt: at } });
  }

  /** Removes a redemption record that never got its grant. */
  async deleteUngranted(redemptionId: string): Promise<void> {
    await this.redemptions.deleteOne({ _id: redemptionId, grantedAt: null });
  }
}
