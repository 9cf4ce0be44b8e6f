import { Faults } from '@app/tokens/tokens.repository.fake';
import type { CouponChanges, CouponRecord, NewCoupon } from './coupon.record';
import type { CouponsRepository } from './coupons.repository';

type Method =
  | 'create'
  | 'findLiveByCode'
  | 'findById'
  | 'update'
  | 'softDelete'
  | 'takeRedemption'
  | 'releaseRedemption'
  | 'insertRedemption'
  | 'deleteRedemption'
  | 'findRedemption'
  | 'markGranted'
  | 'deleteUngranted';

export interface RedemptionRow {
  id: string;
  couponId: string;
  userId: string;
  createdAt: Date;
  grantedAt: Date | null;
}

function redeemable(coupon: CouponRecord, now: Date): boolean {
  return (
    coupon.deletedAt === null &&
    coupon.active &&
    (coupon.expiresAt === null || coupon.expiresAt > now) &&
    coupon.redemptions < coupon.maxRedemptions
  );
}

/**
 * CouponsRepository in memory, with its semantics: codes unique among live and deleted coupons,
 * one redemption record per (coupon, user), a redemption taken only from a redeemable coupon in
 * one atomic step, null whenever a conditional write matches nothing.
 */
export class FakeCouponsRepository implements Pick<
  CouponsRepository,
  Exclude<keyof CouponsRepository, 'redeemedBy'>
> {
  readonly faults = new Faults<Method>();
  private readonly coupons = new Map<string, CouponRecord>();
  private readonly redemptions = new Map<string, RedemptionRow>();
  private lastId = 0;

  private newId(): string {
    this.lastId += 1;
    return this.lastId.toString(16).padStart(24, '0');
  }

  private copy(coupon: CouponRecord | undefined): CouponRecord | null {
    return coupon ? { ...coupon } : null;
  }

  create(coupon: NewCoupon): Promise<CouponRecord | null> {
    return this.faults.run('create', () => {
      if ([...this.coupons.values()].some((c) => c.code === coupon.code)) return null;
      const created: CouponRecord = {
        ...coupon,
        id: this.newId(),
        redemptions: 0,
        deletedAt: null,
      };
      this.coupons.set(created.id, created);
      return this.copy(created);
    });
  }

  findLiveByCode(code: string): Promise<CouponRecord | null> {
    return this.faults.run('findLiveByCode', () =>
      this.copy([...this.coupons.values()].find((c) => c.code === code && c.deletedAt === null)),
    );
  }

  findById(id: string): Promise<CouponRecord | null> {
    return this.faults.run('findById', () => this.copy(this.coupons.get(id)));
  }

  page(
    cursor: string | undefined,
    limit: number,
    includeDeleted: boolean,
  ): Promise<CouponRecord[]> {
    const rows = [...this.coupons.values()]
      .filter((c) => (includeDeleted || c.deletedAt === null) && (!cursor || c.id < cursor))
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, limit + 1)
      .map((c) => ({ ...c }));
    return Promise.resolve(rows);
  }

  update(id: string, changes: CouponChanges): Promise<CouponRecord | null> {
    return this.faults.run('update', () => {
      const coupon = this.coupons.get(id);
      if (!coupon || coupon.deletedAt !== null) return null;
      if (changes.maxRedemptions !== undefined && coupon.redemptions > changes.maxRedemptions) {
        return null;
      }
      Object.assign(coupon, changes);
      return this.copy(coupon);
    });
  }

  softDelete(id: string, now: Date): Promise<CouponRecord | null> {
    return this.faults.run('softDelete', () => {
      const coupon = this.coupons.get(id);
      if (!coupon || coupon.deletedAt !== null) return null;
      Object.assign(coupon, { deletedAt: now, active: false });
      return this.copy(coupon);
    });
  }

  takeRedemption(id: string, now: Date): Promise<CouponRecord | null> {
    return this.faults.run('takeRedemption', () => {
      const coupon = this.coupons.get(id);
      if (!coupon || !redeemable(coupon, now)) return null;
      coupon.redemptions += 1;
      return this.copy(coupon);
    });
  }

  releaseRedemption(id: string): Promise<void> {
    return this.faults.run('releaseRedemption', () => {
      const coupon = this.coupons.get(id);
      if (coupon) coupon.redemptions -= 1;
    });
  }

  insertRedemption(couponId: string, userId: string, now: Date): Promise<string | null> {
    return this.faults.run('insertRedemption', () => {
      const taken = [...this.redemptions.values()].some(
        (r) => r.couponId === couponId && r.userId === userId,
      );
      if (taken) return null;
      const id = this.newId();
      this.redemptions.set(id, { id, couponId, userId, createdAt: now, grantedAt: null });
      return id;
    });
  }

  deleteRedemption(redemptionId: string): Promise<void> {
    return this.faults.run('deleteRedemption', () => {
      this.redemptions.delete(redemptionId);
    });
  }

  findRedemption(
    couponId: string,
    userId: string,
  ): Promise<{ id: string; createdAt: Date; grantedAt: Date | null } | null> {
    return this.faults.run('findRedemption', () => {
      const row = [...this.redemptions.values()].find(
        (r) => r.couponId === couponId && r.userId === userId,
      );
      return row ? { id: row.id, createdAt: row.createdAt, grantedAt: row.grantedAt } : null;
    });
  }

  markGranted(redemptionId: string, at: Date): Promise<void> {
    return this.faults.run('markGranted', () => {
      const row = this.redemptions.get(redemptionId);
      if (row) row.grantedAt = at;
    });
  }

  deleteUngranted(redemptionId: string): Promise<void> {
    return this.faults.run('deleteUngranted', () => {
      if (this.redemptions.get(redemptionId)?.grantedAt === null) {
        this.redemptions.delete(redemptionId);
      }
    });
  }

  /** Test view: the redemption records of a coupon. */
  redemptionsOf(couponId: string): RedemptionRow[] {
    return [...this.redemptions.values()]
      .filter((r) => r.couponId === couponId)
      .map((r) => ({ ...r }));
  }
}
