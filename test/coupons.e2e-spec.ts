import {
  createTestApp,
  refreshSession,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

interface Coupon {
  id: string;
  code: string;
  amount: number;
  maxRedemptions: number;
  redemptions: number;
  status: string;
}

interface LedgerEntry {
  delta: number;
  reason: string;
  ref: string | null;
  balanceAfter: number;
}

const HOUR = 3_600_000;
const UUID = /^[0-9a-f-]{36}$/;

describe('coupons: POST /tokens/redeem', () => {
  let t: TestApp;
  let admin: TestSession;
  let signupTokens: number;
  let nextCode = 0;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signUpAdmin(t);
    signupTokens = t.config.get('SIGNUP_TOKENS');
  });

  afterAll(async () => {
    await closeAll(t);
  });

  afterEach(() => {
    t.clock.reset();
  });

  async function createCoupon(body: Record<string, unknown>): Promise<Coupon> {
    nextCode += 1;
    const res = await t.http
      .post('/api/v1/admin/coupons')
      .set(admin.auth)
      .send({ code: `TEST${nextCode}CODE`, ...body });
    expect(res.status).toBe(201);
    return res.body as Coupon;
  }

  function redeem(user: TestSession, code: string) {
    return t.http.post('/api/v1/tokens/redeem').set(user.auth).send({ code });
  }

  async function listedCoupon(id: string, as: TestSession = admin): Promise<Coupon> {
    const res = await t.http
      .get('/api/v1/admin/coupons?limit=100&includeDeleted=true')
      .set(as.auth);
    expect(res.body).toMatchObject({ items: expect.any(Array) as unknown });
    const found = (res.body as { items: Coupon[] }).items.find((coupon) => coupon.id === id);
    if (!found) throw new Error(`coupon ${id} is not listed`);
    return found;
  }

  async function balanceOf(user: TestSession): Promise<number> {
    const res = await t.http.get('/api/v1/tokens').set(user.auth);
    expect(res.status).toBe(200);
    return (res.body as { balance: number }).balance;
  }

  async function ledgerOf(user: TestSession): Promise<LedgerEntry[]> {
    const res = await t.http.get('/api/v1/tokens/ledger?limit=100').set(user.auth);
    expect(res.status).toBe(200);
    return (res.body as { items: LedgerEntry[] }).items;
  }

  async function expectCouponInvalid(user: TestSession, code: string): Promise<void> {
    const res = await redeem(user, code);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'COUPON_INVALID',
      message: 'This coupon code is unknown, expired, used up or no longer active',
      details: [],
      requestId: expect.stringMatching(UUID) as unknown,
    });
  }

  it('grants the amount, writes a coupon ledger entry, and the ledger still sums to the balance', async () => {
    const [user, coupon] = await Promise.all([
      signUp(t),
      createCoupon({ amount: 50, maxRedemptions: 5 }),
    ]);
    const res = await redeem(user, coupon.code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ granted: 50, balance: signupTokens + 50 });

    const ledger = await ledgerOf(user);
    expect(ledger[0]).toMatchObject({
      delta: 50,
      reason: 'coupon',
      ref: coupon.id,
      balanceAfter: signupTokens + 50,
    });
    const balance = await balanceOf(user);
    expect(balance).toBe(signupTokens + 50);
    expect(ledger.reduce((sum, entry) => sum + entry.delta, 0)).toBe(balance);
    expect(await listedCoupon(coupon.id)).toMatchObject({ redemptions: 1, status: 'active' });
  });

  it('matches codes ignoring case, spaces and dashes', async () => {
    const [user, coupon] = await Promise.all([
      signUp(t),
      createCoupon({ code: 'spring-2026', amount: 5, maxRedemptions: 5 }),
    ]);
    expect(coupon.code).toBe('SPRING2026');
    const res = await redeem(user, ' Spring 2026 ');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ granted: 5, balance: signupTokens + 5 });
  });

  it('answers an unknown code with 400 COUPON_INVALID and grants nothing', async () => {
    const user = await signUp(t);
    await expectCouponInvalid(user, 'NOSUCHCODE');
    expect(await balanceOf(user)).toBe(signupTokens);
  });

  it('answers an expired coupon with 400 COUPON_INVALID', async () => {
    const [early, late] = await Promise.all([signUp(t), signUp(t)]);
    const expiresAt = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const coupon = await createCoupon({ amount: 5, maxRedemptions: 5, expiresAt });
    expect((await redeem(early, coupon.code)).status).toBe(200);
    t.clock.advance(HOUR);
    const lateNow = await refreshSession(late);
    await expectCouponInvalid(lateNow, coupon.code);
    expect(await balanceOf(lateNow)).toBe(signupTokens);
    const adminNow = await refreshSession(admin);
    expect(await listedCoupon(coupon.id, adminNow)).toMatchObject({
      redemptions: 1,
      status: 'expired',
    });
  });

  it('answers an exhausted coupon with 400 COUPON_INVALID', async () => {
    const [first, second] = await Promise.all([signUp(t), signUp(t)]);
    const coupon = await createCoupon({ amount: 5, maxRedemptions: 1 });
    expect((await redeem(first, coupon.code)).status).toBe(200);
    await expectCouponInvalid(second, coupon.code);
    expect(await listedCoupon(coupon.id)).toMatchObject({ redemptions: 1, status: 'exhausted' });
  });

  it('answers an inactive coupon with 400 COUPON_INVALID until an admin activates it', async () => {
    const user = await signUp(t);
    const coupon = await createCoupon({ amount: 5, maxRedemptions: 5, active: false });
    expect(coupon.status).toBe('inactive');
    await expectCouponInvalid(user, coupon.code);
    const patch = await t.http
      .patch(`/api/v1/admin/coupons/${coupon.id}`)
      .set(admin.auth)
      .send({ active: true });
    expect(patch.status).toBe(200);
    expect((await redeem(user, coupon.code)).status).toBe(200);
  });

  it('answers a deleted coupon with 400 COUPON_INVALID and keeps the earlier grants', async () => {
    const [before, after] = await Promise.all([signUp(t), signUp(t)]);
    const coupon = await createCoupon({ amount: 8, maxRedemptions: 5 });
    expect((await redeem(before, coupon.code)).status).toBe(200);
    const deleted = await t.http.delete(`/api/v1/admin/coupons/${coupon.id}`).set(admin.auth);
    expect(deleted.status).toBe(204);

    await expectCouponInvalid(after, coupon.code);
    expect(await balanceOf(before)).toBe(signupTokens + 8);
    expect(await ledgerOf(before)).toContainEqual(
      expect.objectContaining({ delta: 8, reason: 'coupon', ref: coupon.id }),
    );
    expect(await listedCoupon(coupon.id)).toMatchObject({ redemptions: 1, status: 'deleted' });
  });

  it('answers a second redemption by the same user with 409 CONFLICT and grants once', async () => {
    const user = await signUp(t);
    const coupon = await createCoupon({ amount: 5, maxRedemptions: 5 });
    expect((await redeem(user, coupon.code)).status).toBe(200);
    const again = await redeem(user, coupon.code.toLowerCase());
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      statusCode: 409,
      error: 'CONFLICT',
      message: 'You have already redeemed this coupon',
    });
    expect(await balanceOf(user)).toBe(signupTokens + 5);
    expect(await listedCoupon(coupon.id)).toMatchObject({ redemptions: 1 });
  });

  it('lets a user whose redemption failed on an exhausted coupon try again once there is room', async () => {
    const [first, second] = await Promise.all([signUp(t), signUp(t)]);
    const coupon = await createCoupon({ amount: 5, maxRedemptions: 1 });
    expect((await redeem(first, coupon.code)).status).toBe(200);
    await expectCouponInvalid(second, coupon.code);
    const raised = await t.http
      .patch(`/api/v1/admin/coupons/${coupon.id}`)
      .set(admin.auth)
      .send({ maxRedemptions: 2 });
    expect(raised.status).toBe(200);
    expect((await redeem(second, coupon.code)).status).toBe(200);
  });

  it('50 users redeeming a coupon of 10 in parallel get exactly 10 grants', async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => signUp(t)));
    const coupon = await createCoupon({ amount: 7, maxRedemptions: 10 });

    const responses = await Promise.all(users.map((user) => redeem(user, coupon.code)));
    const granted = responses.filter((res) => res.status === 200);
    const refused = responses.filter((res) => res.status !== 200);
    expect(granted).toHaveLength(10);
    expect(refused.map((res) => [res.status, (res.body as { error: string }).error])).toEqual(
      Array.from({ length: 40 }, () => [400, 'COUPON_INVALID']),
    );
    expect(granted.reduce((sum, res) => sum + (res.body as { granted: number }).granted, 0)).toBe(
      70,
    );

    expect(await listedCoupon(coupon.id)).toMatchObject({ redemptions: 10, status: 'exhausted' });
    const balances = await Promise.all(users.map((user) => balanceOf(user)));
    expect(balances.reduce((sum, balance) => sum + balance - signupTokens, 0)).toBe(70);
    const ledgers = await Promise.all(users.map((user) => ledgerOf(user)));
    const couponEntries = ledgers.flat().filter((entry) => entry.ref === coupon.id);
    expect(couponEntries).toHaveLength(10);
    expect(couponEntries.every((entry) => entry.delta === 7 && entry.reason === 'coupon')).toBe(
      true,
    );
  });

  it('one user firing 10 parallel redemptions of one coupon gets exactly one', async () => {
    const user = await signUp(t);
    const coupon = await createCoupon({ amount: 9, maxRedemptions: 100 });

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => redeem(user, coupon.code)),
    );
    expect(responses.filter((res) => res.status === 200)).toHaveLength(1);
    expect(responses.filter((res) => res.status === 409)).toHaveLength(9);
    expect(await balanceOf(user)).toBe(signupTokens + 9);
    expect((await ledgerOf(user)).filter((entry) => entry.ref === coupon.id)).toHaveLength(1);
    expect(await listedCoupon(coupon.id)).toMatchObject({ redemptions: 1 });
  });

  it('validates the body: code is a non-empty string, nothing else is allowed', async () => {
    const user = await signUp(t);
    const missing = await t.http.post('/api/v1/tokens/redeem').set(user.auth).send({});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [{ field: 'code', message: expect.stringContaining('code') as unknown }],
    });
    const wrong = await t.http
      .post('/api/v1/tokens/redeem')
      .set(user.auth)
      .send({ code: 42, userId: admin.id });
    expect(wrong.status).toBe(400);
    expect((wrong.body as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
      'userId',
      'code',
    ]);
    const injected = await t.http
      .post('/api/v1/tokens/redeem')
      .set(user.auth)
      .send({ code: { $ne: null } });
    expect(injected.status).toBe(400);
    expect(injected.body).toMatchObject({ error: 'VALIDATION_FAILED' });
    expect(await balanceOf(user)).toBe(signupTokens);
  });

  it('answers 401 without an access token', async () => {
    const res = await t.http.post('/api/v1/tokens/redeem').send({ code: 'ANYCODE' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED' });
  });
});
