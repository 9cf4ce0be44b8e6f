import { type CouponRecord, couponStatus } from './coupon.record';

const NOW = new Date('2026-11-21T10:00:00Z');

function coupon(overrides: Partial<CouponRecord> = {}): CouponRecord {
  return {
    id: '665f1c2e9b1d8c0012345678',
    code: 'WELCOME2026',
    amount: 50,
    maxRedemptions: 10,
    redemptions: 3,
    expiresAt: null,
    active: true,
    deletedAt: null,
    createdBy: null,
    createdAt: new Date('2026-11-01T00:00:00Z'),
    ...overrides,
  };
}

describe('coupon status', () => {
  it('is active while live, active, unexpired and not used up', () => {
    expect(couponStatus(coupon(), NOW)).toBe('active');
    expect(couponStatus(coupon({ expiresAt: new Date(NOW.getTime() + 1) }), NOW)).toBe('active');
  });

  it('names the first reason a coupon does not redeem: deleted, inactive, expired, exhausted', () => {
    expect(couponStatus(coupon({ deletedAt: NOW, active: false }), NOW)).toBe('deleted');
    expect(couponStatus(coupon({ active: false, redemptions: 10 }), NOW)).toBe('inactive');
    expect(couponStatus(coupon({ expiresAt: NOW, redemptions: 10 }), NOW)).toBe('expired');
    expect(couponStatus(coupon({ redemptions: 10 }), NOW)).toBe('exhausted');
  });
});
