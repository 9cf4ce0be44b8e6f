import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, type Page, requireTimeAhead, toPage } from '@app/common';
import { TokensService } from '@app/tokens';
import { generateCouponCode, normalizeCouponCode } from './coupon-code';
import {
  type CouponChanges,
  couponChanges,
  type CouponInput,
  type CouponRecord,
} from './coupon.record';
import { CouponsRepository, type RedeemedCoupon } from './coupons.repository';

const GENERATED_CODE_ATTEMPTS = 5;

export function couponInvalid(): DomainError {
  return new DomainError(
    'COUPON_INVALID',
    'This coupon code is unknown, expired, used up or no longer active',
  );
}

export interface Redemption {
  granted: number;
  balance: number;
}

/**
 * Coupons grant tokens once per user, up to maxRedemptions in all, without transactions: a
 * redemption record unique per (coupon, user) settles "once per user", then one conditional
 * `$inc` of the counter settles "not exhausted, active, unexpired", then TokensService grants.
 * Each later step that fails undoes the earlier ones.
 */
const STALE_REDEMPTION_MS = 60_000;

function alreadyRedeemed(): DomainError {
  return DomainError.conflict('You have already redeemed this coupon');
}

@Injectable()
export class CouponsService {
  private readonly logger = new Logger(CouponsService.name);

  constructor(
    private readonly coupons: CouponsRepository,
    private readonly tokens: TokensService,
    private readonly clock: Clock,
  ) {}

  /** The coupons the user redeemed (their data export), oldest first. */
  redeemedBy(userId: string): Promise<RedeemedCoupon[]> {
    return this.coupons.redeemedBy(userId);
  }

  async redeem(userId: string, code: string): Promise<Redemption> {
    const coupon = await this.coupons.findLiveByCode(normalizeCouponCode(code));
    if (!coupon) throw couponInvalid();
    const now = this.clock.now();
    let redemptionId = await this.coupons.insertRedemption(coupon.id, userId, now);
    if (redemptionId === null) {
      await this.clearStaleRedemption(coupon.id, userId, now);
      redemptionId = await this.coupons.insertRedemption(coupon.id, userId, now);
      if (redemptionId === null) throw alreadyRedeemed();
    }
    const taken = await this.undoOnFailure(
      () => this.coupons.takeRedemption(coupon.id, now),
      () => this.coupons.deleteRedemption(redemptionId),
    );
    if (!taken) {
      await this.coupons.deleteRedemption(redemptionId);
      throw couponInvalid();
    }
    const balance = await this.undoOnFailure(
      () => this.tokens.grant(userId, taken.amount, 'coupon', coupon.id),
      () => this.coupons.releaseRedemption(coupon.id),
      () => this.coupons.deleteRedemption(redemptionId),
    );
    await this.coupons.markGranted(redemptionId, now);
    return { granted: taken.amount, balance };
  }

  /**
   * A redemption record without a grant, older than a minute, was left by a process that died
   * half way: it is cleared so that the user can redeem (its counted redemption, if any, stays
   * counted: the coupon can only lose a use, never give one too many). If the tokens were in fact
   * granted (the ledger says so), the record is completed and the answer stays 409.
   */
  private async clearStaleRedemption(couponId: string, userId: string, now: Date): Promise<void> {
    const existing = await this.coupons.findRedemption(couponId, userId);
    const stale =
      existing &&
      !existing.grantedAt &&
      now.getTime() - existing.createdAt.getTime() > STALE_REDEMPTION_MS;
    if (!existing || !stale) throw alreadyRedeemed();
    if (await this.tokens.hasLedgerEntry(userId, 'coupon', couponId)) {
      await this.coupons.markGranted(existing.id, now);
      throw alreadyRedeemed();
    }
    await this.coupons.deleteUngranted(existing.id);
  }

  async create(input: CouponInput, createdBy: string | null): Promise<CouponRecord> {
    const expiresAt = input.expiresAt ?? null;
    this.checkExpiry(expiresAt);
    const fields = {
      amount: input.amount,
      maxRedemptions: input.maxRedemptions,
      expiresAt,
      active: input.active ?? true,
      createdBy,
      createdAt: this.clock.now(),
    };
    if (input.code !== undefined) {
      const created = await this.coupons.create({
        ...fields,
        code: normalizeCouponCode(input.code),
      });
      if (!created) {
        throw DomainError.conflict('A coupon with this code already exists', [
          { field: 'code', message: 'is already taken' },
        ]);
      }
      return created;
    }
    for (let attempt = 1; attempt <= GENERATED_CODE_ATTEMPTS; attempt += 1) {
      const created = await this.coupons.create({ ...fields, code: generateCouponCode() });
      if (created) return created;
    }
    throw new Error('Could not generate a free coupon code');
  }

  /** Newest first, with their redemption counts; deleted ones only when asked. */
  async list(
    cursor: string | undefined,
    limit: number,
    includeDeleted = false,
  ): Promise<Page<CouponRecord>> {
    const rows = await this.coupons.page(cursor, limit, includeDeleted);
    return toPage(rows, limit);
  }

  /** 404 for an unknown or deleted coupon; 409 when maxRedemptions would fall below redemptions. */
  async update(id: string, input: CouponChanges): Promise<CouponRecord> {
    const changes = couponChanges(input);
    if (Object.keys(changes).length === 0) {
      throw DomainError.validation(
        [{ field: 'body', message: 'must change amount, maxRedemptions, expiresAt or active' }],
        'Nothing to change',
      );
    }
    if (changes.expiresAt !== undefined) this.checkExpiry(changes.expiresAt);
    const updated = await this.coupons.update(id, changes);
    if (updated) return updated;
    const current = await this.coupons.findById(id);
    if (!current || current.deletedAt) throw DomainError.notFound('No such coupon');
    throw DomainError.conflict(
      `maxRedemptions cannot go below the ${current.redemptions} redemptions so far`,
      [{ field: 'maxRedemptions', message: `must be at least ${current.redemptions}` }],
    );
  }

  /** Soft delete: the coupon stops redeeming, its redemptions and ledger entries stay. */
  async delete(id: string): Promise<CouponRecord> {
    const deleted = await this.coupons.softDelete(id, this.clock.now());
    if (!deleted) throw DomainError.notFound('No such coupon');
    return deleted;
  }

  private checkExpiry(expiresAt: Date | null): void {
    if (expiresAt) requireTimeAhead('expiresAt', expiresAt, this.clock.now());
  }

  /** Runs step; if it throws, runs the undo actions (each whatever the others do) and rethrows. */
  private async undoOnFailure<T>(
    step: () => Promise<T>,
    ...undo: (() => Promise<void>)[]
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const results = await Promise.allSettled(undo.map((action) => action()));
      if (results.some((result) => result.status === 'rejected')) {
        this.logger.error('A failed coupon redemption could not be fully undone');
      }
      throw error;
    }
  }
}
