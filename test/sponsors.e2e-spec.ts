import { SponsorsService } from '@app/sponsors';
import { parseRoomKey } from '@app/users';
import { createTestApp, signUp, signUpAdmin, type TestApp, type TestSession } from './support';
import { connectSocket, send, socketsClosable, type TestSocket } from './support/sockets';
import { closeAll } from './support/teardown';

interface Sponsor {
  id: string;
  name: string;
  weight: number;
  status: string;
  deletedAt: string | null;
}

interface Counts {
  impressions: number;
  uniqueUsers: number;
  clicks: number;
  ctr: number;
}

interface Stats extends Counts {
  sponsorId: string;
  byRoom: (Counts & { roomKey: string })[];
  byDay: (Counts & { day: string })[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MISSING_ID = '0123456789abcdef01234567';
const ID = /^[0-9a-f]{24}$/;

function fields(body: unknown): string[] {
  return (body as { details: { field: string }[] }).details.map((detail) => detail.field).sort();
}

describe('sponsors', () => {
  let t: TestApp;
  let admin: TestSession;
  let user: TestSession;
  const sockets: TestSocket[] = [];
  let nextYear = 1900;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMITS: 'off' } });
    [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  afterEach(() => {
    t.clock.reset();
  });

  /** A birth date of its own per test, so that its day room is targeted by its sponsors only. */
  function freshBirthDate(): string {
    nextYear += 1;
    return `${nextYear}-04-12`;
  }

  function at(offsetMs: number): string {
    return new Date(t.clock.now().getTime() + offsetMs).toISOString();
  }

  async function createSponsor(body: Record<string, unknown>): Promise<Sponsor> {
    const res = await t.http
      .post('/api/v1/admin/sponsors')
      .set(admin.auth)
      .send({
        name: 'Cake & Co.',
        text: 'Cake for the whole room',
        linkUrl: 'https://example.com/cake',
        startsAt: at(-HOUR),
        endsAt: at(DAY),
        ...body,
      });
    expect(res.status).toBe(201);
    return res.body as Sponsor;
  }

  async function stats(id: string): Promise<Stats> {
    const res = await t.http.get(`/api/v1/admin/sponsors/${id}/stats`).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body as Stats;
  }

  function sponsorOf(session: TestSession, roomKey: string) {
    return t.http.get(`/api/v1/rooms/${roomKey}/sponsor`).set(session.auth);
  }

  function click(session: TestSession, id: string) {
    return t.http.post(`/api/v1/sponsors/${id}/click`).set(session.auth);
  }

  async function signIn(session: TestSession): Promise<TestSession> {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: session.email, password: session.password });
    expect(res.status).toBe(200);
    const { accessToken } = res.body as { accessToken: string };
    return { ...session, accessToken, auth: { Authorization: `Bearer ${accessToken}` } };
  }

  async function socketOf(session: TestSession): Promise<TestSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  describe('admin routes', () => {
    const routes: [method: 'get' | 'post' | 'patch' | 'delete', path: string][] = [
      ['post', '/api/v1/admin/sponsors'],
      ['get', '/api/v1/admin/sponsors'],
      ['patch', `/api/v1/admin/sponsors/${MISSING_ID}`],
      ['delete', `/api/v1/admin/sponsors/${MISSING_ID}`],
      ['get', `/api/v1/admin/sponsors/${MISSING_ID}/stats`],
    ];

    it.each(routes)('%s %s answers 403 FORBIDDEN to a user', async (method, path) => {
      const res = await t.http[method](path)
        .set(user.auth)
        .send(method === 'get' || method === 'delete' ? undefined : { name: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'FORBIDDEN', details: [] });
    });

    it.each(routes)('%s %s answers 401 UNAUTHORIZED without a token', async (method, path) => {
      const res = await t.http[method](path);
      expect(res.status).toBe(401);
    });

    it('names every bad field of a new sponsor in one 400', async () => {
      const res = await t.http
        .post('/api/v1/admin/sponsors')
        .set(admin.auth)
        .send({
          name: '',
          text: 5,
          imageUrl: 'ftp://example.com/cake.png',
          linkUrl: 'javascript:alert(1)',
          startsAt: 'yesterday',
          endsAt: '2026-02-30T00:00:00Z',
          active: 'yes',
          weight: 0,
          displaySeconds: 0,
          roomKinds: ['week'],
          roomKeys: ['date-02-30'],
          budget: 100,
        });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED' });
      expect(fields(res.body)).toEqual(
        [
          'active',
          'budget',
          'displaySeconds',
          'endsAt',
          'imageUrl',
          'linkUrl',
          'name',
          'roomKeys',
          'roomKinds',
          'startsAt',
          'text',
          'weight',
        ].sort(),
      );
    });

    it('refuses http-less URLs, weights out of range and required fields left out', async () => {
      const res = await t.http.post('/api/v1/admin/sponsors').set(admin.auth).send({
        linkUrl: 'example.com',
        weight: -1,
        displaySeconds: 61,
        roomKeys: 'year-1990',
      });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(
        [
          'displaySeconds',
          'endsAt',
          'linkUrl',
          'name',
          'roomKeys',
          'startsAt',
          'text',
          'weight',
        ].sort(),
      );
    });

    it('refuses a window whose end is not after its start, on create and on change', async () => {
      const startsAt = at(DAY);
      for (const endsAt of [startsAt, at(HOUR)]) {
        const res = await t.http.post('/api/v1/admin/sponsors').set(admin.auth).send({
          name: 'Late',
          text: 'Late',
          linkUrl: 'https://example.com',
          startsAt,
          endsAt,
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          error: 'VALIDATION_FAILED',
          details: [{ field: 'endsAt', message: 'endsAt must be after startsAt' }],
        });
      }
      const sponsor = await createSponsor({ roomKeys: ['year-1800'] });
      const patch = await t.http
        .patch(`/api/v1/admin/sponsors/${sponsor.id}`)
        .set(admin.auth)
        .send({ endsAt: at(-2 * HOUR) });
      expect(patch.status).toBe(400);
      expect(fields(patch.body)).toEqual(['endsAt']);
      const empty = await t.http
        .patch(`/api/v1/admin/sponsors/${sponsor.id}`)
        .set(admin.auth)
        .send({});
      expect(empty.status).toBe(400);
    });

    it('creates, lists, changes and soft-deletes a sponsor, each change audited', async () => {
      const created = await createSponsor({
        imageUrl: 'https://cdn.example.com/cake.png',
        roomKinds: ['date', 'date'],
        roomKeys: ['year-1801'],
        active: false,
      });
      expect(created).toMatchObject({
        id: expect.stringMatching(ID) as unknown,
        weight: 1,
        displaySeconds: 5,
        active: false,
        status: 'inactive',
        roomKinds: ['date'],
        roomKeys: ['year-1801'],
        imageUrl: 'https://cdn.example.com/cake.png',
        createdBy: admin.id,
        deletedAt: null,
      });
      const list = await t.http.get('/api/v1/admin/sponsors?limit=100').set(admin.auth);
      expect(list.status).toBe(200);
      expect((list.body as { items: Sponsor[] }).items.map((s) => s.id)).toContain(created.id);

      const patched = await t.http
        .patch(`/api/v1/admin/sponsors/${created.id}`)
        .set(admin.auth)
        .send({ active: true, weight: 7, imageUrl: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        active: true,
        weight: 7,
        imageUrl: null,
        status: 'running',
      });

      const deleted = await t.http.delete(`/api/v1/admin/sponsors/${created.id}`).set(admin.auth);
      expect(deleted.status).toBe(204);
      const again = await t.http.delete(`/api/v1/admin/sponsors/${created.id}`).set(admin.auth);
      expect(again.status).toBe(404);
      const live = await t.http.get('/api/v1/admin/sponsors?limit=100').set(admin.auth);
      expect((live.body as { items: Sponsor[] }).items.map((s) => s.id)).not.toContain(created.id);
      const all = await t.http
        .get('/api/v1/admin/sponsors?limit=100&includeDeleted=true')
        .set(admin.auth);
      const gone = (all.body as { items: Sponsor[] }).items.find((s) => s.id === created.id);
      expect(gone).toMatchObject({ status: 'deleted', deletedAt: expect.any(String) as unknown });

      const audit = await t.http.get('/api/v1/admin/audit?limit=100').set(admin.auth);
      const actions = (audit.body as { items: { action: string; target: { id: string } }[] }).items
        .filter((entry) => entry.target.id === created.id)
        .map((entry) => entry.action);
      expect(actions).toEqual(['sponsor.delete', 'sponsor.update', 'sponsor.create']);
    });

    it('pages with a cursor', async () => {
      await createSponsor({ roomKeys: ['year-1802'] });
      await createSponsor({ roomKeys: ['year-1802'] });
      const first = await t.http.get('/api/v1/admin/sponsors?limit=1').set(admin.auth);
      const { items, nextCursor } = first.body as { items: Sponsor[]; nextCursor: string };
      expect(items).toHaveLength(1);
      expect(nextCursor).toBe(items[0].id);
      const second = await t.http
        .get(`/api/v1/admin/sponsors?limit=1&cursor=${nextCursor}`)
        .set(admin.auth);
      expect((second.body as { items: Sponsor[] }).items[0].id < items[0].id).toBe(true);
    });

    it('answers 404 for the stats of an unknown sponsor', async () => {
      const res = await t.http.get(`/api/v1/admin/sponsors/${MISSING_ID}/stats`).set(admin.auth);
      expect(res.status).toBe(404);
    });
  });

  describe('showing', () => {
    it('shows a sponsor once per session and room, again in a new session; counts clicks once per impression', async () => {
      const birthDate = freshBirthDate();
      const [dayKey] = [`day-${birthDate}`];
      const viewer = await signUp(t, { birthDate });
      const sponsor = await createSponsor({ roomKeys: [dayKey], displaySeconds: 8 });

      expect((await click(viewer, sponsor.id)).status).toBe(404);
      const first = await sponsorOf(viewer, dayKey);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        id: sponsor.id,
        name: 'Cake & Co.',
        text: 'Cake for the whole room',
        imageUrl: null,
        linkUrl: 'https://example.com/cake',
        displaySeconds: 8,
      });
      expect((await sponsorOf(viewer, dayKey)).status).toBe(204);
      const socket = await socketOf(viewer);
      expect(await send(socket, 'room:join', { roomKey: dayKey })).toMatchObject({
        ok: true,
        sponsor: null,
      });
      // Not targeted at the viewer's other rooms.
      expect((await sponsorOf(viewer, `year-${birthDate.slice(0, 4)}`)).status).toBe(204);

      expect((await click(viewer, sponsor.id)).status).toBe(204);
      expect((await click(viewer, sponsor.id)).status).toBe(404);
      expect((await click(user, sponsor.id)).status).toBe(404);

      const later = await signIn(viewer);
      const laterSocket = await socketOf(later);
      const joined = await send(laterSocket, 'room:join', { roomKey: dayKey });
      expect(joined).toMatchObject({ ok: true, sponsor: { id: sponsor.id, displaySeconds: 8 } });
      expect((await sponsorOf(later, dayKey)).status).toBe(204);
      expect((await click(later, sponsor.id)).status).toBe(204);

      const result = await stats(sponsor.id);
      expect(result).toEqual({
        sponsorId: sponsor.id,
        impressions: 2,
        uniqueUsers: 1,
        clicks: 2,
        ctr: 1,
        byRoom: [{ roomKey: dayKey, impressions: 2, uniqueUsers: 1, clicks: 2, ctr: 1 }],
        byDay: [
          {
            day: t.clock.now().toISOString().slice(0, 10),
            impressions: 2,
            uniqueUsers: 1,
            clicks: 2,
            ctr: 1,
          },
        ],
      });
    });

    it('records one impression for 20 parallel entries into a room in one session', async () => {
      const birthDate = freshBirthDate();
      const dayKey = `day-${birthDate}`;
      const viewer = await signUp(t, { birthDate });
      const sponsor = await createSponsor({ roomKeys: [dayKey] });
      const socketA = await socketOf(viewer);
      const socketB = await socketOf(viewer);
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          if (i % 2 === 0) {
            const ack = await send(i % 4 === 0 ? socketA : socketB, 'room:join', {
              roomKey: dayKey,
            });
            expect(ack.ok).toBe(true);
            return (ack as unknown as { sponsor: { id: string } | null }).sponsor?.id ?? null;
          }
          const res = await sponsorOf(viewer, dayKey);
          expect([200, 204]).toContain(res.status);
          return res.status === 200 ? (res.body as { id: string }).id : null;
        }),
      );
      expect(answers.filter((id) => id !== null)).toEqual([sponsor.id]);
      expect(await stats(sponsor.id)).toMatchObject({ impressions: 1, uniqueUsers: 1 });
    });

    it('shows only active sponsors inside their window, where their targeting matches', async () => {
      const birthDate = freshBirthDate();
      const dayKey = `day-${birthDate}`;
      const viewer = await signUp(t, { birthDate });
      const inactive = await createSponsor({ roomKeys: [dayKey], active: false });
      const future = await createSponsor({
        roomKeys: [dayKey],
        startsAt: at(MINUTE),
        endsAt: at(DAY),
      });
      await createSponsor({ roomKeys: [dayKey], startsAt: at(-DAY), endsAt: at(-HOUR) });
      await createSponsor({ roomKinds: ['date'], roomKeys: ['year-1803'] });
      expect((await sponsorOf(viewer, dayKey)).status).toBe(204);

      t.clock.advance(2 * MINUTE);
      const shown = await sponsorOf(viewer, dayKey);
      expect(shown.status).toBe(200);
      expect((shown.body as { id: string }).id).toBe(future.id);
      expect((await stats(inactive.id)).impressions).toBe(0);
    });

    it('shows an untargeted sponsor in every room', async () => {
      const viewer = await signUp(t, { birthDate: freshBirthDate() });
      const everywhere = await createSponsor({ weight: 1000 });
      try {
        const rooms = await t.http.get('/api/v1/rooms').set(viewer.auth);
        for (const { key } of rooms.body as { key: string }[]) {
          const res = await sponsorOf(viewer, key);
          expect(res.status).toBe(200);
        }
      } finally {
        await t.http.delete(`/api/v1/admin/sponsors/${everywhere.id}`).set(admin.auth);
      }
    });

    it('never shows a soft-deleted sponsor, and keeps its statistics', async () => {
      const birthDate = freshBirthDate();
      const dayKey = `day-${birthDate}`;
      const [first, second] = await Promise.all([
        signUp(t, { birthDate }),
        signUp(t, { birthDate }),
      ]);
      const sponsor = await createSponsor({ roomKeys: [dayKey] });
      expect((await sponsorOf(first, dayKey)).status).toBe(200);
      expect((await click(first, sponsor.id)).status).toBe(204);
      const before = await stats(sponsor.id);

      expect(
        (await t.http.delete(`/api/v1/admin/sponsors/${sponsor.id}`).set(admin.auth)).status,
      ).toBe(204);
      expect((await sponsorOf(second, dayKey)).status).toBe(204);
      expect(await stats(sponsor.id)).toEqual(before);
      expect(before).toMatchObject({ impressions: 1, clicks: 1, uniqueUsers: 1, ctr: 1 });
    });

    it('refuses the sponsor of a room to non-members (403) and of a malformed key (404)', async () => {
      expect((await sponsorOf(user, 'year-1777')).status).toBe(403);
      expect((await sponsorOf(user, 'week-1')).status).toBe(404);
      expect((await click(user, 'nope')).status).toBe(400);
    });

    // 2,000 draws through the service (the same one both routes use) on the real store, with the
    // default crypto source. Weights 1 and 3: the light one's count is Binomial(2000, 0.25), mean
    // 500, σ ≈ 19.4; the bound is ±5σ (±97), which a fair draw exceeds with probability < 1e-6.
    it('picks by weight over 2,000 draws (within ±5σ), and the stats equal the recorded counts', async () => {
      const birthDate = freshBirthDate();
      const room = parseRoomKey(`day-${birthDate}`);
      if (!room) throw new Error('not a room key');
      const viewer = await signUp(t, { birthDate });
      const light = await createSponsor({ roomKeys: [room.key], weight: 1 });
      const heavy = await createSponsor({ roomKeys: [room.key], weight: 3 });
      const service = t.app.get(SponsorsService);
      const counts = new Map<string, number>();
      for (let batch = 0; batch < 40; batch += 1) {
        const shown = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            service.offerIn(room, { userId: viewer.id, sessionId: `draw-${batch}-${i}` }),
          ),
        );
        for (const sponsor of shown) {
          const id = sponsor?.id ?? 'none';
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
      const lightCount = counts.get(light.id) ?? 0;
      const heavyCount = counts.get(heavy.id) ?? 0;
      expect(lightCount + heavyCount).toBe(2000);
      expect(Math.abs(lightCount - 500)).toBeLessThanOrEqual(97);
      const [lightStats, heavyStats] = await Promise.all([stats(light.id), stats(heavy.id)]);
      expect(lightStats).toMatchObject({
        impressions: lightCount,
        uniqueUsers: 1,
        clicks: 0,
        ctr: 0,
      });
      expect(heavyStats).toMatchObject({ impressions: heavyCount, uniqueUsers: 1, clicks: 0 });
      expect(lightStats.byRoom).toEqual([
        { roomKey: room.key, impressions: lightCount, uniqueUsers: 1, clicks: 0, ctr: 0 },
      ]);
    }, 30_000);
  });
});
