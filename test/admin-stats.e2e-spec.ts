import { randomUUID } from 'node:crypto';
import { CapsulesService } from '@app/capsules';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { TokensService } from '@app/tokens';
import { roomKeysOf } from '@app/users';
import {
  createTestApp,
  expectError,
  refreshSession,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

interface Totals {
  users: number;
  signups: number;
  activeUsers24h: number;
  activeUsers7d: number;
  messages24h: number;
  capsulesSealed: number;
  capsulesDelivered: number;
  tokensGranted: number;
  tokensSpent: number;
  invitesUsed: number;
  sponsorImpressions: number;
  sponsorClicks: number;
}

interface Day {
  day: string;
  signups: number;
  messages: number;
  tokensSpent: number;
  sponsorImpressions: number;
}

interface Stats {
  from: string;
  to: string;
  generatedAt: string;
  totals: Totals;
  daily: Day[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATS = '/api/v1/admin/stats';
const JWT_SECRET = 'admin-stats-e2e-access-token-secret-of-32-plus';

/** A UTC midnight 400 days ahead: what the suite writes lies in the future, never near retention. */
function futureMidnight(): number {
  const now = Date.now() + 400 * DAY;
  return now - (now % DAY);
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** How long after `time` an ISO timestamp lies (the test clock runs on from where it is set). */
function msAfter(iso: string, time: number): number {
  const after = Date.parse(iso) - time;
  expect(after).toBeGreaterThanOrEqual(0);
  return after;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

async function statsOf(t: TestApp, admin: TestSession, query: string): Promise<Stats> {
  const res = await t.http.get(`${STATS}${query}`).set(admin.auth);
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body as Stats;
}

/** The session at `time`: the clock set there and its access token refreshed (which is activity). */
async function at(t: TestApp, time: number, session: TestSession): Promise<TestSession> {
  t.clock.set(new Date(time));
  return refreshSession(session);
}

function postMessage(user: TestSession, text: string) {
  return user.agent.post(`/api/v1/rooms/${roomKeysOf(user.birthDate)[0]}/messages`).send({ text });
}

describe('admin: GET /admin/stats', () => {
  describe('counts, by aggregation, equal what the suite did', () => {
    let t: TestApp;
    const day0 = futureMidnight();
    const day2 = day0 + 2 * DAY;
    /** The suite's own record of what it did: signups, messages and sponsor impressions per UTC day. */
    const signupsOn = new Map<string, number>();
    const messagesOn = new Map<string, number>();
    const impressionsOn = new Map<string, number>();
    /** When each account last signed up or refreshed its session: what "active" is measured by. */
    const lastActive = new Map<string, number>();
    let admin: TestSession;

    function countOn(counts: Map<string, number>, time: number, count: number): void {
      counts.set(dayOf(time), (counts.get(dayOf(time)) ?? 0) + count);
    }

    async function signUpAt(time: number, asAdmin = false): Promise<TestSession> {
      t.clock.set(new Date(time));
      const session = asAdmin ? await signUpAdmin(t) : await signUp(t);
      countOn(signupsOn, time, 1);
      lastActive.set(session.id, time);
      return session;
    }

    async function activeAt(time: number, session: TestSession): Promise<TestSession> {
      lastActive.set(session.id, time);
      return at(t, time, session);
    }

    async function postAt(time: number, user: TestSession, count: number): Promise<void> {
      const author = await activeAt(time, user);
      for (let i = 0; i < count; i += 1) {
        expect((await postMessage(author, `hello ${i}`)).status).toBe(201);
      }
      countOn(messagesOn, time, count);
    }

    /** The viewer enters their day room and is shown the sponsor: one impression, recorded. */
    async function shownSponsor(viewer: TestSession, sponsorId: string): Promise<void> {
      const shown = await t.http
        .get(`/api/v1/rooms/${roomKeysOf(viewer.birthDate)[0]}/sponsor`)
        .set(viewer.auth);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ id: sponsorId });
      countOn(impressionsOn, t.clock.now().getTime(), 1);
    }

    /** The admin's stats at `time` (refreshing first), and how many were active by the records. */
    async function statsAt(time: number, query: string) {
      admin = await activeAt(time, admin);
      const activeWithin = (ms: number) =>
        [...lastActive.values()].filter((last) => last >= time - ms).length;
      const stats = await statsOf(t, admin, query);
      return { stats, active24h: activeWithin(DAY), active7d: activeWithin(7 * DAY) };
    }

    /** Every ledger entry of every account, read one account at a time (no aggregation). */
    async function ledgerEntries(): Promise<{ delta: number; createdAt: Date }[]> {
      const tokens = t.app.get(TokensService);
      const pages = await Promise.all(
        [...lastActive.keys()].map((id) => tokens.ledger(id, undefined, 100)),
      );
      return pages.flatMap((page) => page.items);
    }

    beforeAll(async () => {
      t = await createTestApp({ env: { RATE_LIMITS: 'off', SCHEDULER: 'off' } });
      // Day 0: three accounts, two messages, a sponsor shown once. Day 1: nothing. Day 2: one
      // account and the rest; Bob is not seen after day 0.
      admin = await signUpAt(day0 + 9 * HOUR, true);
      let alice = await signUpAt(day0 + 10 * HOUR);
      await signUpAt(day0 + 11 * HOUR);
      await postAt(day0 + 12 * HOUR, alice, 2);

      admin = await activeAt(day0 + 12 * HOUR, admin);
      alice = await activeAt(day0 + 12 * HOUR, alice);
      const sponsor = await t.http
        .post('/api/v1/admin/sponsors')
        .set(admin.auth)
        .send({
          name: 'Cake & Co.',
          text: 'Cake for the whole room',
          linkUrl: 'https://example.com/cake',
          startsAt: new Date(day0).toISOString(),
          endsAt: new Date(day2 + 20 * HOUR).toISOString(),
        });
      expect(sponsor.status).toBe(201);
      const sponsorId = (sponsor.body as { id: string }).id;
      // Once per session and room: Alice's day-0 impression is her only one.
      await shownSponsor(alice, sponsorId);
      let carol = await signUpAt(day2 + 9 * HOUR);
      await postAt(day2 + 9 * HOUR, carol, 3);

      admin = await activeAt(day2 + 10 * HOUR, admin);
      alice = await activeAt(day2 + 10 * HOUR, alice);
      carol = await activeAt(day2 + 10 * HOUR, carol);
      const coupon = await t.http
        .post('/api/v1/admin/coupons')
        .set(admin.auth)
        .send({ amount: 25, maxRedemptions: 5 });
      expect(coupon.status).toBe(201);
      const code = (coupon.body as { code: string }).code;
      expect(
        (await t.http.post('/api/v1/tokens/redeem').set(alice.auth).send({ code })).status,
      ).toBe(200);

      const soon = new Date(day2 + 11 * HOUR + 60_000).toISOString();
      const later = new Date(day2 + 30 * DAY).toISOString();
      for (const deliverAt of [soon, later]) {
        const capsule = await carol.agent
          .post('/api/v1/capsules')
          .send({ message: 'hi', deliverAt });
        expect(capsule.status).toBe(201);
      }

      for (const viewer of [admin, carol]) await shownSponsor(viewer, sponsorId);
      const click = await t.http.post(`/api/v1/sponsors/${sponsorId}/click`).set(carol.auth);
      expect(click.status).toBe(204);

      t.clock.set(new Date(day2 + 12 * HOUR));
      expect(await t.app.get(CapsulesService).deliverDue()).toBe(1);
    });

    afterAll(async () => {
      await closeAll(t);
    });

    it('answers totals and a zero-filled daily series equal to the suite’s records and ledgers', async () => {
      const from = dayOf(day0 - DAY);
      const to = dayOf(day2 + DAY);
      const now = day2 + 13 * HOUR;
      const { stats, active24h, active7d } = await statsAt(now, `?from=${from}&to=${to}`);

      const entries = await ledgerEntries();
      const spentOn = (day: string) =>
        sum(entries.filter((e) => e.delta < 0 && dayOf(+e.createdAt) === day).map((e) => -e.delta));
      const days = [-1, 0, 1, 2, 3].map((n) => dayOf(day0 + n * DAY));
      expect(stats.daily).toEqual(
        days.map((day) => ({
          day,
          signups: signupsOn.get(day) ?? 0,
          messages: messagesOn.get(day) ?? 0,
          tokensSpent: spentOn(day),
          sponsorImpressions: impressionsOn.get(day) ?? 0,
        })),
      );
      expect(stats.daily.map((day) => day.signups)).toEqual([0, 3, 0, 1, 0]);
      expect(stats.daily.map((day) => day.messages)).toEqual([0, 2, 0, 3, 0]);
      expect(stats.daily.map((day) => day.sponsorImpressions)).toEqual([0, 1, 0, 2, 0]);

      expect(msAfter(stats.generatedAt, now)).toBeLessThan(5_000);
      const signups = sum([...signupsOn.values()]);
      expect(stats).toEqual({
        from,
        to,
        generatedAt: expect.any(String) as unknown,
        totals: {
          users: lastActive.size,
          signups,
          activeUsers24h: active24h,
          activeUsers7d: active7d,
          messages24h: messagesOn.get(dayOf(day2)),
          capsulesSealed: 2,
          capsulesDelivered: 1,
          tokensGranted: sum(entries.filter((e) => e.delta > 0).map((e) => e.delta)),
          tokensSpent: sum(entries.filter((e) => e.delta < 0).map((e) => -e.delta)),
          invitesUsed: signups,
          sponsorImpressions: sum([...impressionsOn.values()]),
          sponsorClicks: 1,
        },
        daily: expect.any(Array) as unknown,
      });
      // Admin, Alice and Carol were seen on day 2; Bob only on day 0.
      expect([active24h, active7d]).toEqual([3, 4]);
      expect(stats.totals.tokensGranted).toBe(4 * 100 + 25);
      expect(stats.totals.tokensSpent).toBe(5 + 2 * 10);
    });

    it('counts only inside the range: day 2 alone, and days before anything happened', async () => {
      const day = dayOf(day2);
      const { stats: only } = await statsAt(day2 + 13 * HOUR, `?from=${day}&to=${day}`);
      expect(only.daily).toEqual([
        { day, signups: 1, messages: 3, tokensSpent: 3 + 2 * 10, sponsorImpressions: 2 },
      ]);
      expect(only.totals).toMatchObject({
        users: lastActive.size,
        signups: 1,
        capsulesSealed: 2,
        capsulesDelivered: 1,
        tokensGranted: 100 + 25,
        tokensSpent: 23,
        invitesUsed: 1,
        sponsorImpressions: 2,
        sponsorClicks: 1,
      });

      const earlier = `?from=${dayOf(day0 - 9 * DAY)}&to=${dayOf(day0 - DAY)}`;
      const { stats: before } = await statsAt(day2 + 13 * HOUR, earlier);
      expect(before.daily).toHaveLength(9);
      expect(
        before.daily.every(
          (d) => d.signups + d.messages + d.tokensSpent + d.sponsorImpressions === 0,
        ),
      ).toBe(true);
      expect(before.totals).toMatchObject({
        users: lastActive.size,
        signups: 0,
        capsulesSealed: 0,
        capsulesDelivered: 0,
        tokensGranted: 0,
        tokensSpent: 0,
        invitesUsed: 0,
        sponsorImpressions: 0,
        sponsorClicks: 0,
      });
    });

    it('defaults to the 30 UTC days ending today by the clock, and measures activity from now', async () => {
      const now = day2 + 9 * DAY + 13 * HOUR;
      const { stats, active24h, active7d } = await statsAt(now, '');
      expect(stats.to).toBe(dayOf(now));
      expect(stats.from).toBe(dayOf(now - 29 * DAY));
      expect(stats.daily.map((d) => d.day)).toEqual(
        Array.from({ length: 30 }, (_, n) => dayOf(now - (29 - n) * DAY)),
      );
      expect(stats.totals).toMatchObject({
        signups: 4,
        activeUsers24h: active24h,
        activeUsers7d: active7d,
        messages24h: 0,
      });
      // Only the admin, reading now, was seen in the last 7 days.
      expect([active24h, active7d]).toEqual([1, 1]);
    });
  });

  describe('range validation, access and the 60-second cache', () => {
    let t: TestApp;
    let admin: TestSession;
    let user: TestSession;

    beforeAll(async () => {
      t = await createTestApp({ env: { RATE_LIMITS: 'off' } });
      [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
    });

    afterAll(async () => {
      await closeAll(t);
    });

    afterEach(() => {
      t.clock.reset();
    });

    it('answers 403 FORBIDDEN to a user and 401 without a token', async () => {
      expectError(
        await t.http.get(`${STATS}?from=2026-01-01&to=2026-01-31`).set(user.auth),
        403,
        'FORBIDDEN',
        'This needs the admin role',
      );
      expect((await t.http.get(STATS)).status).toBe(401);
    });

    it('answers 400 VALIDATION_FAILED naming the field for malformed days, from after to, and more than 366 days', async () => {
      const cases: [string, string, string][] = [
        [
          '?from=2026-02-30&to=2026-03-01',
          'from',
          'from must be a real calendar date written YYYY-MM-DD',
        ],
        [
          '?from=2026-02-01&to=03/01/2026',
          'to',
          'to must be a real calendar date written YYYY-MM-DD',
        ],
        [
          '?from=2026-02-01T00:00:00Z',
          'from',
          'from must be a real calendar date written YYYY-MM-DD',
        ],
        ['?from=2026-03-02&to=2026-03-01', 'from', 'from must not be after to'],
        [
          '?from=2023-12-31&to=2024-12-31',
          'to',
          'the range from from to to must be at most 366 days',
        ],
      ];
      for (const [query, field, message] of cases) {
        const res = await t.http.get(`${STATS}${query}`).set(admin.auth);
        expectError(res, 400, 'VALIDATION_FAILED', 'Validation failed', [{ field, message }]);
      }
      const unknown = await t.http.get(`${STATS}?from=2026-01-01&days=3`).set(admin.auth);
      expect(unknown.status).toBe(400);
      expect((await statsOf(t, admin, '?from=2024-01-01&to=2024-12-31')).daily).toHaveLength(366);
    });

    it('serves an answer from the cache for up to 60 s by the clock, new data notwithstanding; then counts afresh', async () => {
      const start = futureMidnight() + 8 * HOUR;
      const day = dayOf(start);
      const query = `?from=${day}&to=${day}`;
      t.clock.set(new Date(start));
      // The admin signs up then too (a session 400 days old would have expired): one signup.
      const reader = await signUpAdmin(t);
      const first = await statsOf(t, reader, query);
      expect(first.totals.signups).toBe(1);
      expect(msAfter(first.generatedAt, start)).toBeLessThan(5_000);
      const counted = Date.parse(first.generatedAt);

      await signUp(t);
      t.clock.set(new Date(counted + 59_000));
      expect(await statsOf(t, reader, query)).toEqual(first);
      // Another range is counted on its own, fresh.
      const wider = await statsOf(t, reader, `?from=${day}&to=${dayOf(start + DAY)}`);
      expect(wider.totals.signups).toBe(2);

      t.clock.set(new Date(counted + 60_000));
      const fresh = await statsOf(t, reader, query);
      expect(fresh.totals.signups).toBe(2);
      expect(fresh.daily).toEqual([
        { day, signups: 2, messages: 0, tokensSpent: 0, sponsorImpressions: 0 },
      ]);
      expect(msAfter(fresh.generatedAt, counted + 60_000)).toBeLessThan(5_000);
    });
  });

  describe('with REDIS_URL: one cache for every instance', () => {
    let mongo: EmbeddedMongo | undefined;
    let a: TestApp | undefined;
    let b: TestApp | undefined;

    beforeAll(async () => {
      mongo = await startEmbeddedMongo();
      // Two instances of one deployment: one database, one Redis and key prefix, one JWT secret.
      const env = {
        MONGO_URL: `${mongo.uri}stats-${randomUUID()}`,
        REDIS_URL: process.env.REDIS_URL,
        REDIS_KEY_PREFIX: `test-stats-${randomUUID()}:`,
        JWT_SECRET,
      };
      a = await createTestApp({ env, sharedDatabase: true });
      b = await createTestApp({ env, sharedDatabase: true });
    });

    afterAll(async () => {
      await closeAll(a, b);
      await mongo?.stop();
    });

    it('an instance answers what another cached, new data notwithstanding, until the 60 s are over', async () => {
      if (a === undefined || b === undefined) throw new Error('the instances did not start');
      const start = futureMidnight() + 8 * HOUR;
      const query = `?from=${dayOf(start)}&to=${dayOf(start)}`;
      for (const t of [a, b]) t.clock.set(new Date(start));
      const admin = await signUpAdmin(a);
      const first = await statsOf(a, admin, query);
      expect(first.totals.signups).toBe(1);

      await signUp(b);
      expect(await statsOf(b, admin, query)).toEqual(first);

      b.clock.set(new Date(Date.parse(first.generatedAt) + 60_000));
      expect((await statsOf(b, admin, query)).totals.signups).toBe(2);
    });
  });
});
