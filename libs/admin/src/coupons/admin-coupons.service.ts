import { Injectable } from '@nestjs/common';
import { type AuthUser, Clock, DEFAULT_PAGE_SIZE, mapPage } from '@app/common';
import { type CouponRecord, couponChanges, CouponsService } from '@app/coupons';
import {
  type CouponDto,
  type CouponListQueryDto,
  type CouponPageDto,
  type CreateCouponDto,
  toCouponResponse,
  type UpdateCouponDto,
} from './admin-coupons.dto';
import { AuditService } from '../audit/audit.service';

function target(coupon: CouponRecord): { type: string; id: string } {
  return { type: 'coupon', id: coupon.id };
}

/** Coupon management for admins: each change goes through CouponsService, then the audit log. */
@Injectable()
export class AdminCouponsService {
  constructor(
    private readonly coupons: CouponsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, input: CreateCouponDto): Promise<CouponDto> {
    const coupon = await this.coupons.create(input, actor.id);
    await this.audit.record({
      actorId: actor.id,
      action: 'coupon.create',
      target: target(coupon),
      details: {
        code: coupon.code,
        amount: coupon.amount,
        maxRedemptions: coupon.maxRedemptions,
        expiresAt: coupon.expiresAt,
        active: coupon.active,
      },
    });
    return toCouponResponse(coupon, this.clock.now());
  }

  async list(query: CouponListQueryDto): Promise<CouponPageDto> {
    const now = this.clock.now();
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.coupons.list(query.cursor, limit, query.includeDeleted);
    return mapPage(page, (coupon) => toCouponResponse(coupon, now));
  }

  async update(actor: AuthUser, id: string, input: UpdateCouponDto): Promise<CouponDto> {
    const changes = couponChanges(input);
    const coupon = await this.coupons.update(id, changes);
    await this.audit.record({
      actorId: actor.id,
      action: 'coupon.update',
      target: target(coupon),
      details: { code: coupon.code, changes },
    });
    return toCouponResponse(coupon, this.clock.now());
  }

  async delete(actor: AuthUser, id: string): Promise<void> {
    const coupon = await this.coupons.delete(id);
    await this.audit.record({
      actorId: actor.id,
      action: 'coupon.delete',
      target: target(coupon),
      details: { code: coupon.code, redemptions: coupon.redemptions },
    });
  }
}
