import { getModelToken } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { TokensService } from '@app/tokens';
import {
  createTestApp,
  expectError,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

interface Entry {
  delta: number;
  balanceAfter: number;
}

describe('the ledger always sums to the balance, even when a ledger write fails', () => {
  let t: TestApp;
  let tokens: TokensService;
  let ledger: Model<unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    tokens = t.app.get(TokensService);
    ledger = t.app.get<Model<unknown>>(getModelToken('LedgerEntry'), { strict: false });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function entriesOf(user: TestSession): Promise<Entry[]> {
    const res = await t.http.get('/api/v1/tokens/ledger?limit=100').set(user.auth);
    return (res.body as { items: Entry[] }).items;
  }

  async function expectLedgerMatches(user: TestSession, balance: number): Promise<void> {
    const res = await t.http.get('/api/v1/tokens').set(user.auth);
    expect(res.body).toEqual({ balance });
    const sum = (await entriesOf(user)).reduce((total, entry) => total + entry.delta, 0);
    expect(sum).toBe(balance);
  }

  function failWrites(times: number): jest.SpyInstance {
    const spy = jest.spyOn(ledger, 'create');
    for (let i = 0; i < times; i++) spy.mockRejectedValueOnce(new Error('ledger unavailable'));
    return spy;
  }

  it('retries a failed ledger write once: the spend stands and is recorded once', async () => {
    const user = await signUp(t);
    const spy = failWrites(1);
    await expect(tokens.spend(user.id, 3, 'message')).resolves.toBe(97);
    expect(spy).toHaveBeenCalledTimes(2);
    await expectLedgerMatches(user, 97);
    expect((await entriesOf(user)).map((e) => e.delta)).toEqual([-3, 100]);
  });

  it('undoes a spend whose ledger entry cannot be written', async () => {
    const user = await signUp(t);
    failWrites(2);
    await expect(tokens.spend(user.id, 5, 'message')).rejects.toThrow(
      /ledger could not be written/,
    );
    await expectLedgerMatches(user, 100);
  });

  it('keeps a write whose outcome was unknown (applied, then an error): no undo, no duplicate', async () => {
    const user = await signUp(t);
    const original = ledger.create.bind(ledger);
    jest.spyOn(ledger, 'create').mockImplementationOnce(async (...args: unknown[]) => {
      await (original as (...a: unknown[]) => Promise<unknown>)(...args);
      throw new Error('write concern timeout');
    });
    await expect(tokens.grant(user.id, 7, 'admin')).resolves.toBe(107);
    await expectLedgerMatches(user, 107);
    expect((await entriesOf(user)).map((e) => e.delta)).toEqual([7, 100]);
  });

  it('undoes a grant only while its tokens are still there, so a balance never goes negative', async () => {
    const user = await signUp(t);
    failWrites(2);
    await expect(tokens.grant(user.id, 50, 'admin')).rejects.toThrow(/ledger could not be written/);
    await expectLedgerMatches(user, 100);
    const entries = await entriesOf(user);
    expect(entries.every((entry) => entry.balanceAfter >= 0)).toBe(true);
  });

  it.each([0, -5, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])(
    'refuses a token amount of %p, which is not a positive whole number',
    async (amount) => {
      const user = await signUp(t);
      await expect(tokens.spend(user.id, amount, 'message')).rejects.toThrow(
        /positive whole number/,
      );
      await expect(tokens.grant(user.id, amount, 'admin')).rejects.toThrow(/positive whole number/);
      await expectLedgerMatches(user, 100);
    },
  );

  it('gives a coupon redemption back when its grant fails: counter and record undone, redeemable again', async () => {
    const [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
    const created = await t.http
      .post('/api/v1/admin/coupons')
      .set(admin.auth)
      .send({ code: 'RETRY-ME', amount: 20, maxRedemptions: 1 });
    expect(created.status).toBe(201);
    jest.spyOn(tokens, 'grant').mockRejectedValueOnce(new Error('wallet unavailable'));
    const failed = await t.http
      .post('/api/v1/tokens/redeem')
      .set(user.auth)
      .send({ code: 'retry-me' });
    expectError(failed, 500, 'INTERNAL', 'An unexpected error occurred');
    const retried = await t.http
      .post('/api/v1/tokens/redeem')
      .set(user.auth)
      .send({ code: 'retry-me' });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ granted: 20, balance: 120 });
    await expectLedgerMatches(user, 120);
    const list = await t.http.get('/api/v1/admin/coupons').set(admin.auth);
    const coupon = (list.body as { items: { code: string; redemptions: number }[] }).items.find(
      (item) => item.code === 'RETRYME',
    );
    expect(coupon?.redemptions).toBe(1);
  });

  async function couponFor(admin: TestSession, code: string): Promise<string> {
    const created = await t.http
      .post('/api/v1/admin/coupons')
      .set(admin.auth)
      .send({ code, amount: 20, maxRedemptions: 5 });
    expect(created.status).toBe(201);
    return (created.body as { id: string }).id;
  }

  it('clears a redemption left by a crash (no grant) after a minute, so the user can redeem', async () => {
    const [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
    const couponId = await couponFor(admin, 'CRASHED-ONE');
    const redemptions = t.app.get<Model<unknown>>(getModelToken('CouponRedemption'), {
      strict: false,
    });
    await redemptions.create({
      couponId: new Types.ObjectId(couponId),
      userId: new Types.ObjectId(user.id),
      createdAt: new Date(t.clock.now().getTime() - 30_000),
    });
    const redeem = () =>
      t.http.post('/api/v1/tokens/redeem').set(user.auth).send({ code: 'crashed-one' });
    expectError(await redeem(), 409, 'CONFLICT', 'You have already redeemed this coupon');
    t.clock.advance(60_000);
    const recovered = await redeem();
    t.clock.reset();
    expect(recovered.status).toBe(200);
    expect(recovered.body).toEqual({ granted: 20, balance: 120 });
    expectError(await redeem(), 409, 'CONFLICT', 'You have already redeemed this coupon');
    await expectLedgerMatches(user, 120);
  });

  it('never grants twice when the crash came after the grant', async () => {
    const [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
    await couponFor(admin, 'GRANTED-ONCE');
    const redeem = () =>
      t.http.post('/api/v1/tokens/redeem').set(user.auth).send({ code: 'granted-once' });
    expect((await redeem()).status).toBe(200);
    const redemptions = t.app.get<Model<unknown>>(getModelToken('CouponRedemption'), {
      strict: false,
    });
    await redemptions.updateMany(
      { userId: new Types.ObjectId(user.id) },
      { $set: { grantedAt: null } },
    );
    t.clock.advance(120_000);
    const again = await redeem();
    t.clock.reset();
    expectError(again, 409, 'CONFLICT', 'You have already redeemed this coupon');
    await expectLedgerMatches(user, 120);
  });

  it.each([
    ['amount', { amount: null }],
    ['maxRedemptions', { maxRedemptions: null }],
    ['active', { active: null }],
  ])('refuses null for the coupon field %s with 400 naming it', async (field, change) => {
    const admin = await signUpAdmin(t);
    const created = await t.http
      .post('/api/v1/admin/coupons')
      .set(admin.auth)
      .send({ amount: 5, maxRedemptions: 5 });
    const id = (created.body as { id: string }).id;
    const res = await t.http.patch(`/api/v1/admin/coupons/${id}`).set(admin.auth).send(change);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field })],
    });
  });

  it('refuses a null coupon code on creation with 400 naming code', async () => {
    const admin = await signUpAdmin(t);
    const res = await t.http
      .post('/api/v1/admin/coupons')
      .set(admin.auth)
      .send({ code: null, amount: 1, maxRedemptions: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'code' })],
    });
  });
});
