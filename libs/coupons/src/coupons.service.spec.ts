import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainError, ManualClock } from '@app/common';
import { TokensService } from '@app/tokens';
import type { TokensRepository } from '@app/tokens/tokens.repository';
import { FakeTokensRepository, InjectedFault } from '@app/tokens/tokens.repository.fake';
import type { CouponRecord, NewCoupon } from './coupon.record';
import type { CouponsRepository } from './coupons.repository';
import { FakeCouponsRepository } from './coupons.repository.fake';
import { CouponsService } from './coupons.service';

const USER = '64b0000000000000000000a1';
const OTHER = '64b0000000000000000000b2';
const HOUR_MS = 3_600_000;
const STALE_MS = 60_000;

function userId(n: number): string {
  return n.toString(16).padStart(24, 'c');
}

describe('CouponsService.redeem', () => {
  let clock: ManualClock;
  let wallets: FakeTokensRepository;
  let repo: FakeCouponsRepository;
  let service: CouponsService;
  let loggedErrors: jest.SpyInstance;

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    wallets = new FakeTokensRepository();
    const tokens = new TokensService(
      wallets as unknown as TokensRepository,
      clock,
      new EventEmitter2(),
    );
    repo = new FakeCouponsRepository();
    service = new CouponsService(repo as unknown as CouponsRepository, tokens, clock);
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    loggedErrors.mockRestore();
  });

  async function coupon(fields: Partial<NewCoupon> = {}): Promise<CouponRecord> {
    const created = await repo.create({
      code: 'WELCOME2026',
      amount: 25,
      maxRedemptions: 10,
      expiresAt: null,
      active: true,
      createdBy: null,
      createdAt: clock.now(),
      ...fields,
    });
    if (!created) throw new Error('code taken');
    return created;
  }

  async function redemptionsCounted(couponId: string): Promise<number | undefined> {
    return (await repo.findById(couponId))?.redemptions;
  }

  function ledgerSumsToBalance(user: string): boolean {
    const sum = wallets.ledgerOf(user).reduce((total, entry) => total + entry.delta, 0);
    return sum === (wallets.walletOf(user) ?? 0);
  }

  it('grants the amount once, counts the redemption and completes its record', async () => {
    const { id } = await coupon();

    await expect(service.redeem(USER, ' welcome-2026')).resolves.toEqual({
      granted: 25,
      balance: 25,
    });

    expect(await redemptionsCounted(id)).toBe(1);
    expect(repo.redemptionsOf(id)).toEqual([
      expect.objectContaining({ userId: USER, grantedAt: clock.now() }),
    ]);
    expect(wallets.ledgerOf(USER)).toEqual([
      expect.objectContaining({ delta: 25, reason: 'coupon', ref: id }),
    ]);
  });

  describe('COUPON_INVALID, leaving no tokens, no count and no redemption record', () => {
    const kinds: [string, (c: () => Promise<CouponRecord>) => Promise<CouponRecord | null>][] = [
      ['an unknown code', () => Promise.resolve(null)],
      [
        'a deleted coupon',
        async (c) => {
          const { id } = await c();
          return repo.softDelete(id, clock.now());
        },
      ],
      ['an inactive coupon', () => coupon({ active: false })],
      [
        'an expired coupon (at its expiry instant)',
        async () => {
          const created = await coupon({ expiresAt: new Date(clock.now().getTime() + HOUR_MS) });
          clock.advance(HOUR_MS);
          return created;
        },
      ],
      [
        'a used-up coupon',
        async () => {
          const created = await coupon({ maxRedemptions: 1 });
          await service.redeem(OTHER, 'WELCOME2026');
          return created;
        },
      ],
    ];

    it.each(kinds)('refuses %s', async (_, setUp) => {
      const before = await setUp(() => coupon());
      const counted = before ? await redemptionsCounted(before.id) : undefined;

      const error: unknown = await service.redeem(USER, 'WELCOME2026').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'COUPON_INVALID' });
      expect(wallets.walletOf(USER)).toBeUndefined();
      if (before) {
        expect(await redemptionsCounted(before.id)).toBe(counted);
        expect(repo.redemptionsOf(before.id).filter((r) => r.userId === USER)).toEqual([]);
      }
    });

    it('a refused redemption leaves no record behind: the user may redeem once the coupon is active again', async () => {
      const { id } = await coupon({ active: false });
      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toMatchObject({
        code: 'COUPON_INVALID',
      });

      await repo.update(id, { active: true });

      await expect(service.redeem(USER, 'WELCOME2026')).resolves.toEqual({
        granted: 25,
        balance: 25,
      });
    });
  });

  describe('once per user', () => {
    it('answers a second redemption by the same user with 409 CONFLICT, granting and counting nothing more', async () => {
      const { id } = await coupon();
      await service.redeem(USER, 'WELCOME2026');

      const error: unknown = await service.redeem(USER, 'WELCOME2026').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'CONFLICT' });
      expect(wallets.walletOf(USER)).toBe(25);
      expect(await redemptionsCounted(id)).toBe(1);
    });

    it('lets exactly one of two parallel redemptions by the same user through', async () => {
      const { id } = await coupon();

      const results = await Promise.allSettled([
        service.redeem(USER, 'WELCOME2026'),
        service.redeem(USER, 'WELCOME2026'),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((r) => r.status === 'rejected')?.reason).toMatchObject({
        code: 'CONFLICT',
      });
      expect(wallets.walletOf(USER)).toBe(25);
      expect(await redemptionsCounted(id)).toBe(1);
    });

    it('keeps 409 for a record without a grant younger than a minute (a redemption in progress)', async () => {
      const { id } = await coupon();
      await repo.insertRedemption(id, USER, clock.now());
      clock.advance(STALE_MS);

      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(wallets.walletOf(USER)).toBeUndefined();
    });

    it('clears a record without a grant older than a minute (left by a crash) and redeems', async () => {
      const { id } = await coupon();
      await repo.insertRedemption(id, USER, clock.now());
      clock.advance(STALE_MS + 1);

      await expect(service.redeem(USER, 'WELCOME2026')).resolves.toEqual({
        granted: 25,
        balance: 25,
      });
      expect(repo.redemptionsOf(id)).toEqual([
        expect.objectContaining({ userId: USER, grantedAt: clock.now() }),
      ]);
    });

    it('never grants twice: a record left incomplete after its grant is completed from the ledger and stays 409', async () => {
      const { id } = await coupon();
      repo.faults.next('markGranted', 'fails');
      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toBeInstanceOf(InjectedFault);
      expect(wallets.walletOf(USER)).toBe(25);

      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      clock.advance(STALE_MS + 1);
      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toMatchObject({
        code: 'CONFLICT',
      });

      expect(wallets.walletOf(USER)).toBe(25);
      expect(await redemptionsCounted(id)).toBe(1);
      expect(repo.redemptionsOf(id)).toEqual([
        expect.objectContaining({ userId: USER, grantedAt: clock.now() }),
      ]);
    });
  });

  describe('compensation when a later step fails', () => {
    it('gives the count back and removes the record when the grant fails, so the user can try again', async () => {
      const { id } = await coupon();
      wallets.faults.next('credit', 'fails');

      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toBeInstanceOf(InjectedFault);

      expect(await redemptionsCounted(id)).toBe(0);
      expect(repo.redemptionsOf(id)).toEqual([]);
      expect(wallets.walletOf(USER)).toBeUndefined();
      expect(loggedErrors).not.toHaveBeenCalled();

      await expect(service.redeem(USER, 'WELCOME2026')).resolves.toEqual({
        granted: 25,
        balance: 25,
      });
      expect(await redemptionsCounted(id)).toBe(1);
    });

    it('gives the count back and removes the record when the grant is undone for a lost ledger entry', async () => {
      const { id } = await coupon();
      wallets.faults.next('append', 'fails', 2);

      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toThrow(
        /ledger could not be written/,
      );

      expect(await redemptionsCounted(id)).toBe(0);
      expect(repo.redemptionsOf(id)).toEqual([]);
      expect(wallets.walletOf(USER)).toBe(0);
      expect(ledgerSumsToBalance(USER)).toBe(true);
    });

    it('removes the record when taking a redemption fails, counting nothing', async () => {
      const { id } = await coupon();
      repo.faults.next('takeRedemption', 'fails');

      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toBeInstanceOf(InjectedFault);

      expect(await redemptionsCounted(id)).toBe(0);
      expect(repo.redemptionsOf(id)).toEqual([]);
      expect(wallets.walletOf(USER)).toBeUndefined();
    });

    it('can only lose a use, never give one too many, when taking a redemption has an unknown outcome', async () => {
      const { id } = await coupon({ maxRedemptions: 2 });
      repo.faults.next('takeRedemption', 'lost-reply');

      await expect(service.redeem(USER, 'WELCOME2026')).rejects.toBeInstanceOf(InjectedFault);
      expect(repo.redemptionsOf(id)).toEqual([]);
      expect(await redemptionsCounted(id)).toBe(1);

      await service.redeem(USER, 'WELCOME2026');
      await expect(service.redeem(OTHER, 'WELCOME2026')).rejects.toMatchObject({
        code: 'COUPON_INVALID',
      });
      expect(await redemptionsCounted(id)).toBe(2);
    });

    it('runs every undo even when one of them fails, logs it and rethrows the original error', async () => {
      const { id } = await coupon();
      wallets.faults.next('credit', 'fails');
      repo.faults.next('releaseRedemption', 'fails');

      const error: unknown = await service.redeem(USER, 'WELCOME2026').catch((e: unknown) => e);

      expect(error).toMatchObject({ method: 'credit' });
      expect(repo.redemptionsOf(id)).toEqual([]);
      expect(await redemptionsCounted(id)).toBe(1);
      expect(loggedErrors).toHaveBeenCalledWith(
        expect.stringContaining('could not be fully undone'),
      );
    });
  });

  it('is used up under parallel redemptions exactly at maxRedemptions', async () => {
    const { id } = await coupon({ maxRedemptions: 3 });
    const users = Array.from({ length: 10 }, (_, i) => userId(i));

    const results = await Promise.allSettled(users.map((u) => service.redeem(u, 'WELCOME2026')));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'COUPON_INVALID' });
    }
    expect(await redemptionsCounted(id)).toBe(3);
    expect(repo.redemptionsOf(id)).toHaveLength(3);
    const granted = users.map((u) => wallets.walletOf(u) ?? 0);
    expect(granted.reduce((a, b) => a + b, 0)).toBe(75);
    expect(users.every(ledgerSumsToBalance)).toBe(true);
  });
});
