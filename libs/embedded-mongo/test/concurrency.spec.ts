import { createIndex, startHarness, stopHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { maxPoolSize: 25 });
});

afterAll(() => stopHarness(h));

describe('each command is atomic', () => {
  it('200 parallel guarded decrements of a balance of 50 succeed exactly 50 times', async () => {
    const coll = h.freshColl('balance');
    await coll.insertOne({ _id: 'acct', balance: 50 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        coll.updateOne({ _id: 'acct', balance: { $gte: 1 } }, { $inc: { balance: -1 } }),
      ),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(50);
    expect(results.filter((r) => r.modifiedCount === 0)).toHaveLength(150);
    expect(await coll.findOne({ _id: 'acct' })).toEqual({ _id: 'acct', balance: 0 });
  }, 20_000);

  it('200 parallel $inc operations all land', async () => {
    const coll = h.freshColl('counter');
    await coll.insertOne({ _id: 'c', n: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () => coll.updateOne({ _id: 'c' }, { $inc: { n: 1 } })),
    );
    expect(await coll.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: 200 });
  }, 20_000);

  it('parallel findOneAndUpdate claims hand out every job exactly once', async () => {
    const coll = h.freshColl('jobs');
    await coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i, claimed: false })));
    const claims = await Promise.all(
      Array.from({ length: 60 }, (_, worker) =>
        coll.findOneAndUpdate(
          { claimed: false },
          { $set: { claimed: true, by: worker } },
          { returnDocument: 'after' },
        ),
      ),
    );
    const claimedIds = claims.filter((c) => c !== null).map((c) => c._id as number);
    expect(claimedIds.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(claims.filter((c) => c === null)).toHaveLength(30);
    expect(await coll.countDocuments({ claimed: false })).toBe(0);
  }, 20_000);

  it('parallel inserts of the same unique key let exactly one through', async () => {
    const coll = h.freshColl('race');
    await createIndex(coll, { email: 1 }, { unique: true });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => coll.insertOne({ email: 'same@x.io', attempt: i })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(49);
    for (const r of rejected) {
      expect((r.reason as { code?: unknown }).code).toBe(11000);
    }
    expect(await coll.countDocuments({ email: 'same@x.io' })).toBe(1);
  }, 20_000);
});
