import { createTestApp, signUp, signUpAdmin, type TestApp, type TestSession } from './support';
import { closeAll } from './support/teardown';

interface Coupon {
  id: string;
  code: string;
  amount: number;
  maxRedemptions: number;
  redemptions: number;
  status: string;
  expiresAt: string | null;
  active: boolean;
  deletedAt: string | null;
}

interface AuditEntry {
  id: string;
  actorId: string;
  action: string;
  target: { type: string; id: string | null };
  details: Record<string, unknown>;
  createdAt: string;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const DAY = 86_400_000;
const ID = /^[0-9a-f]{24}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING_ID = '0123456789abcdef01234567';

function fields(body: unknown): string[] {
  return (body as { details: { field: string }[] }).details.map((detail) => detail.field);
}

describe('admin: coupons, invites and the audit log', () => {
  let t: TestApp;
  let admin: TestSession;
  let user: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
  });

  afterAll(async () => {
    await closeAll(t);
  });

  afterEach(() => {
    t.clock.reset();
  });

  function inDays(days: number): string {
    return new Date(t.clock.now().getTime() + days * DAY).toISOString();
  }

  async function createCoupon(body: Record<string, unknown>): Promise<Coupon> {
    const res = await t.http.post('/api/v1/admin/coupons').set(admin.auth).send(body);
    expect(res.status).toBe(201);
    return res.body as Coupon;
  }

  async function listCoupons(query = ''): Promise<Page<Coupon>> {
    const res = await t.http.get(`/api/v1/admin/coupons?limit=100${query}`).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body as Page<Coupon>;
  }

  async function auditFor(targetId: string): Promise<AuditEntry[]> {
    const res = await t.http.get('/api/v1/admin/audit?limit=100').set(admin.auth);
    expect(res.status).toBe(200);
    return (res.body as Page<AuditEntry>).items.filter((entry) => entry.target.id === targetId);
  }

  describe('access', () => {
    const routes: [method: 'get' | 'post' | 'patch' | 'delete', path: string][] = [
      ['post', '/api/v1/admin/coupons'],
      ['get', '/api/v1/admin/coupons'],
      ['patch', `/api/v1/admin/coupons/${MISSING_ID}`],
      ['delete', `/api/v1/admin/coupons/${MISSING_ID}`],
      ['get', '/api/v1/admin/audit'],
      ['post', '/api/v1/admin/invites'],
    ];

    it.each(routes)('%s %s answers 403 FORBIDDEN to a user', async (method, path) => {
      const res = await t.http[method](path)
        .set(user.auth)
        .send(method === 'get' || method === 'delete' ? undefined : {});
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'FORBIDDEN', details: [] });
    });

    it.each(routes)('%s %s answers 401 UNAUTHORIZED without a token', async (method, path) => {
      const res = await t.http[method](path);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED' });
    });

    it('a user is refused before anything changes', async () => {
      const res = await t.http
        .post('/api/v1/admin/coupons')
        .set(user.auth)
        .send({ code: 'SNEAKY1', amount: 1000, maxRedemptions: 1 });
      expect(res.status).toBe(403);
      expect((await listCoupons()).items.map((coupon) => coupon.code)).not.toContain('SNEAKY1');
    });
  });

  describe('coupons', () => {
    it('creates, lists with redemption counts, updates and soft-deletes a coupon, each audited', async () => {
      const expiresAt = inDays(30);
      const created = await createCoupon({
        code: 'round-trip-1',
        amount: 25,
        maxRedemptions: 3,
        expiresAt,
      });
      expect(created).toEqual({
        id: expect.stringMatching(ID) as unknown,
        code: 'ROUNDTRIP1',
        amount: 25,
        maxRedemptions: 3,
        redemptions: 0,
        status: 'active',
        expiresAt,
        active: true,
        deletedAt: null,
        createdBy: admin.id,
        createdAt: expect.stringMatching(ISO) as unknown,
      });

      const redeemed = await t.http
        .post('/api/v1/tokens/redeem')
        .set(user.auth)
        .send({ code: 'ROUNDTRIP1' });
      expect(redeemed.status).toBe(200);
      expect((await listCoupons()).items.find((c) => c.id === created.id)).toEqual({
        ...created,
        redemptions: 1,
      });

      const patched = await t.http
        .patch(`/api/v1/admin/coupons/${created.id}`)
        .set(admin.auth)
        .send({ amount: 30, maxRedemptions: 5, expiresAt: null, active: false });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({
        ...created,
        amount: 30,
        maxRedemptions: 5,
        redemptions: 1,
        expiresAt: null,
        active: false,
        status: 'inactive',
      });

      const deleted = await t.http.delete(`/api/v1/admin/coupons/${created.id}`).set(admin.auth);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await listCoupons()).items.map((c) => c.id)).not.toContain(created.id);
      const withDeleted = await listCoupons('&includeDeleted=true');
      expect(withDeleted.items.find((c) => c.id === created.id)).toMatchObject({
        status: 'deleted',
        active: false,
        redemptions: 1,
        deletedAt: expect.stringMatching(ISO) as unknown,
      });

      const audit = await auditFor(created.id);
      expect(audit.map((entry) => entry.action)).toEqual([
        'coupon.delete',
        'coupon.update',
        'coupon.create',
      ]);
      for (const entry of audit) {
        expect(entry).toMatchObject({
          actorId: admin.id,
          target: { type: 'coupon', id: created.id },
          createdAt: expect.stringMatching(ISO) as unknown,
        });
      }
      expect(audit[2].details).toEqual({
        code: 'ROUNDTRIP1',
        amount: 25,
        maxRedemptions: 3,
        expiresAt,
        active: true,
      });
      expect(audit[1].details).toEqual({
        code: 'ROUNDTRIP1',
        changes: { amount: 30, maxRedemptions: 5, expiresAt: null, active: false },
      });
      expect(audit[0].details).toEqual({ code: 'ROUNDTRIP1', redemptions: 1 });
    });

    it('generates an easy-to-type random code when none is given', async () => {
      const [a, b] = await Promise.all([
        createCoupon({ amount: 1, maxRedemptions: 1 }),
        createCoupon({ amount: 1, maxRedemptions: 1 }),
      ]);
      expect(a.code).toMatch(/^[ABCDEFGHJKMNPQRSTWXYZ2-9]{12}$/);
      expect(b.code).toMatch(/^[ABCDEFGHJKMNPQRSTWXYZ2-9]{12}$/);
      expect(a.code).not.toBe(b.code);
      expect(a).toMatchObject({ expiresAt: null, active: true, status: 'active' });
    });

    it('refuses a code already taken, whatever its case or dashes, with 409 naming code', async () => {
      await createCoupon({ code: 'TAKEN-CODE', amount: 1, maxRedemptions: 1 });
      const again = await t.http
        .post('/api/v1/admin/coupons')
        .set(admin.auth)
        .send({ code: 'taken code', amount: 2, maxRedemptions: 2 });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        error: 'CONFLICT',
        details: [{ field: 'code', message: 'is already taken' }],
      });
    });

    it('refuses maxRedemptions below the redemptions so far with 409, and accepts it equal', async () => {
      const coupon = await createCoupon({ amount: 2, maxRedemptions: 5 });
      const users = await Promise.all([signUp(t), signUp(t)]);
      for (const redeemer of users) {
        const res = await t.http
          .post('/api/v1/tokens/redeem')
          .set(redeemer.auth)
          .send({ code: coupon.code });
        expect(res.status).toBe(200);
      }
      const below = await t.http
        .patch(`/api/v1/admin/coupons/${coupon.id}`)
        .set(admin.auth)
        .send({ maxRedemptions: 1 });
      expect(below.status).toBe(409);
      expect(below.body).toMatchObject({
        error: 'CONFLICT',
        message: 'maxRedemptions cannot go below the 2 redemptions so far',
        details: [{ field: 'maxRedemptions', message: 'must be at least 2' }],
      });
      expect((await auditFor(coupon.id)).map((entry) => entry.action)).toEqual(['coupon.create']);

      const equal = await t.http
        .patch(`/api/v1/admin/coupons/${coupon.id}`)
        .set(admin.auth)
        .send({ maxRedemptions: 2 });
      expect(equal.status).toBe(200);
      expect(equal.body).toMatchObject({ maxRedemptions: 2, redemptions: 2, status: 'exhausted' });
    });

    it('answers 404 for an unknown or deleted coupon on PATCH and DELETE', async () => {
      const coupon = await createCoupon({ amount: 1, maxRedemptions: 1 });
      expect(
        (await t.http.delete(`/api/v1/admin/coupons/${coupon.id}`).set(admin.auth)).status,
      ).toBe(204);
      for (const id of [MISSING_ID, coupon.id]) {
        const patch = await t.http
          .patch(`/api/v1/admin/coupons/${id}`)
          .set(admin.auth)
          .send({ amount: 2 });
        expect(patch.status).toBe(404);
        expect(patch.body).toMatchObject({ error: 'NOT_FOUND', message: 'No such coupon' });
        const del = await t.http.delete(`/api/v1/admin/coupons/${id}`).set(admin.auth);
        expect(del.status).toBe(404);
      }
    });

    it('lists newest first in cursor pages that cover every coupon once', async () => {
      await Promise.all([1, 2, 3].map(() => createCoupon({ amount: 1, maxRedemptions: 1 })));
      const all = (await listCoupons()).items.map((coupon) => coupon.id);
      expect(all.length).toBeGreaterThanOrEqual(3);
      expect([...all].sort().reverse()).toEqual(all);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const res = await t.http.get(`/api/v1/admin/coupons${query}`).set(admin.auth);
        expect(res.status).toBe(200);
        const page = res.body as Page<Coupon>;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((coupon) => coupon.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    });

    it('rejects bad create bodies with VALIDATION_FAILED naming every bad field', async () => {
      const res = await t.http.post('/api/v1/admin/coupons').set(admin.auth).send({
        code: 'no_underscores',
        amount: 0,
        maxRedemptions: 1.5,
        expiresAt: 'next tuesday',
        active: 'yes',
        redemptions: 0,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED' });
      expect(fields(res.body).sort()).toEqual(
        ['active', 'amount', 'code', 'expiresAt', 'maxRedemptions', 'redemptions'].sort(),
      );

      const missing = await t.http.post('/api/v1/admin/coupons').set(admin.auth).send({});
      expect(missing.status).toBe(400);
      expect(fields(missing.body).sort()).toEqual(['amount', 'maxRedemptions']);

      const past = await t.http
        .post('/api/v1/admin/coupons')
        .set(admin.auth)
        .send({ amount: 1, maxRedemptions: 1, expiresAt: inDays(-1) });
      expect(past.status).toBe(400);
      expect(past.body).toMatchObject({
        error: 'VALIDATION_FAILED',
        details: [{ field: 'expiresAt', message: 'must be in the future' }],
      });

      const impossibleDay = await t.http
        .post('/api/v1/admin/coupons')
        .set(admin.auth)
        .send({ amount: 1, maxRedemptions: 1, expiresAt: '2031-02-30T00:00:00Z' });
      expect(impossibleDay.status).toBe(400);
      expect(fields(impossibleDay.body)).toEqual(['expiresAt']);
    });

    it('rejects bad PATCH bodies, ids and list queries with VALIDATION_FAILED', async () => {
      const coupon = await createCoupon({ amount: 1, maxRedemptions: 1 });
      const empty = await t.http
        .patch(`/api/v1/admin/coupons/${coupon.id}`)
        .set(admin.auth)
        .send({});
      expect(empty.status).toBe(400);
      expect(empty.body).toMatchObject({
        error: 'VALIDATION_FAILED',
        message: 'Nothing to change',
      });

      const bad = await t.http
        .patch(`/api/v1/admin/coupons/${coupon.id}`)
        .set(admin.auth)
        .send({ amount: -5, code: 'RENAMED', redemptions: 0 });
      expect(bad.status).toBe(400);
      expect(fields(bad.body).sort()).toEqual(['amount', 'code', 'redemptions']);

      const badId = await t.http
        .patch('/api/v1/admin/coupons/not-an-id')
        .set(admin.auth)
        .send({ amount: 2 });
      expect(badId.status).toBe(400);
      expect(badId.body).toMatchObject({
        error: 'VALIDATION_FAILED',
        details: [{ field: 'id', message: 'must be a 24-character hexadecimal id' }],
      });
      const badDeleteId = await t.http.delete('/api/v1/admin/coupons/xyz').set(admin.auth);
      expect(badDeleteId.status).toBe(400);
      expect(fields(badDeleteId.body)).toEqual(['id']);

      const badQuery = await t.http
        .get('/api/v1/admin/coupons?limit=0&cursor=nope&includeDeleted=maybe&sort=code')
        .set(admin.auth);
      expect(badQuery.status).toBe(400);
      expect(fields(badQuery.body).sort()).toEqual(['cursor', 'includeDeleted', 'limit', 'sort']);
      expect((await auditFor(coupon.id)).map((entry) => entry.action)).toEqual(['coupon.create']);
    });
  });

  describe('invites', () => {
    it('creates a multi-use code that signs up exactly maxUses accounts, audited without the code', async () => {
      const expiresAt = inDays(7);
      const res = await t.http
        .post('/api/v1/admin/invites')
        .set(admin.auth)
        .send({ maxUses: 3, expiresAt });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        code: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/) as unknown,
        expiresAt,
        maxUses: 3,
      });
      const code = (res.body as { code: string }).code;

      const members = await Promise.all([1, 2, 3].map(() => signUp(t, { inviteCode: code })));
      expect(new Set(members.map((member) => member.id)).size).toBe(3);
      const fourth = await t.http.post('/api/v1/auth/signup').send({
        email: 'fourth@example.com',
        password: 'correct horse battery',
        displayName: 'Fourth',
        birthDate: '1990-05-17',
        inviteCode: code,
      });
      expect(fourth.status).toBe(400);
      expect(fourth.body).toMatchObject({ error: 'INVITE_INVALID' });

      const audit = await t.http.get('/api/v1/admin/audit?action=invite.create').set(admin.auth);
      expect(audit.status).toBe(200);
      const entries = (audit.body as Page<AuditEntry>).items;
      expect(entries[0]).toEqual({
        id: expect.stringMatching(ID) as unknown,
        actorId: admin.id,
        action: 'invite.create',
        target: { type: 'invite', id: null },
        details: { maxUses: 3, expiresAt },
        createdAt: expect.stringMatching(ISO) as unknown,
      });
      expect(audit.text).not.toContain(code);
      expect(audit.text).not.toContain(code.replace(/-/g, ''));
    });

    it('validates maxUses (1..10000) and expiresAt (future, within a year)', async () => {
      const cases: [body: Record<string, unknown>, fields: string[]][] = [
        [{}, ['expiresAt', 'maxUses']],
        [{ maxUses: 0, expiresAt: inDays(1) }, ['maxUses']],
        [{ maxUses: 10_001, expiresAt: inDays(1) }, ['maxUses']],
        [{ maxUses: 2.5, expiresAt: inDays(1) }, ['maxUses']],
        [{ maxUses: '5', expiresAt: inDays(1) }, ['maxUses']],
        [{ maxUses: 5, expiresAt: 'soon' }, ['expiresAt']],
        [{ maxUses: 5, expiresAt: null }, ['expiresAt']],
        [{ maxUses: 5, expiresAt: inDays(-1) }, ['expiresAt']],
        [{ maxUses: 5, expiresAt: inDays(367) }, ['expiresAt']],
        [{ maxUses: 5, expiresAt: inDays(1), code: 'MINE' }, ['code']],
      ];
      for (const [body, expected] of cases) {
        const res = await t.http.post('/api/v1/admin/invites').set(admin.auth).send(body);
        expect({ body, status: res.status, fields: fields(res.body).sort() }).toEqual({
          body,
          status: 400,
          fields: expected,
        });
      }
      const edge = await t.http
        .post('/api/v1/admin/invites')
        .set(admin.auth)
        .send({ maxUses: 10_000, expiresAt: inDays(364) });
      expect(edge.status).toBe(201);
    });
  });

  describe('audit log', () => {
    it('pages newest first and filters by action', async () => {
      await Promise.all([1, 2, 3].map(() => createCoupon({ amount: 1, maxRedemptions: 1 })));
      const first = await t.http.get('/api/v1/admin/audit?limit=2').set(admin.auth);
      expect(first.status).toBe(200);
      const page = first.body as Page<AuditEntry>;
      expect(page.items).toHaveLength(2);
      expect(page.items[0].id > page.items[1].id).toBe(true);
      expect(page.nextCursor).toBe(page.items[1].id);
      const next = await t.http
        .get(`/api/v1/admin/audit?limit=2&cursor=${page.nextCursor ?? ''}`)
        .set(admin.auth);
      const nextItems = (next.body as Page<AuditEntry>).items;
      expect(nextItems[0].id < page.items[1].id).toBe(true);

      const creates = await t.http
        .get('/api/v1/admin/audit?action=coupon.create&limit=100')
        .set(admin.auth);
      const actions = (creates.body as Page<AuditEntry>).items.map((entry) => entry.action);
      expect(actions.length).toBeGreaterThanOrEqual(3);
      expect(new Set(actions)).toEqual(new Set(['coupon.create']));
    });

    it('rejects a bad action, cursor or limit with VALIDATION_FAILED naming it', async () => {
      const res = await t.http
        .get('/api/v1/admin/audit?action=coupon.explode&cursor=abc&limit=101')
        .set(admin.auth);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED' });
      expect(fields(res.body).sort()).toEqual(['action', 'cursor', 'limit']);
    });
  });

  it.each(['/api/v1/admin/coupons', '/api/v1/admin/invites', '/api/v1/tokens/redeem'])(
    'POST %s answers odd bodies with 400, never 500',
    async (path) => {
      for (const body of ['[]', '[1]', '"text"', 'null', '{"code":["A"],"maxUses":{}}']) {
        const res = await t.http
          .post(path)
          .set(admin.auth)
          .set('content-type', 'application/json')
          .send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
    },
  );

  it('documents every admin route and the redeem route in OpenAPI with bodies and errors', async () => {
    const res = await t.http.get('/docs-json');
    const paths = (res.body as { paths: Record<string, Record<string, unknown>> }).paths;
    const operation = (path: string, method: string) =>
      paths[path][method] as {
        requestBody?: unknown;
        responses: Record<string, unknown>;
        security?: unknown;
      };
    const expected: [string, string, string[], boolean][] = [
      ['/api/v1/tokens/redeem', 'post', ['200', '400', '401', '409', '429'], true],
      ['/api/v1/admin/coupons', 'post', ['201', '400', '401', '403', '409'], true],
      ['/api/v1/admin/coupons', 'get', ['200', '400', '401', '403'], false],
      ['/api/v1/admin/coupons/{id}', 'patch', ['200', '400', '401', '403', '404', '409'], true],
      ['/api/v1/admin/coupons/{id}', 'delete', ['204', '400', '401', '403', '404'], false],
      ['/api/v1/admin/audit', 'get', ['200', '400', '401', '403'], false],
      ['/api/v1/admin/invites', 'post', ['201', '400', '401', '403'], true],
    ];
    for (const [path, method, statuses, hasBody] of expected) {
      const op = operation(path, method);
      expect({ path, method, statuses: Object.keys(op.responses).sort() }).toEqual({
        path,
        method,
        statuses,
      });
      expect({ path, method, body: op.requestBody !== undefined }).toEqual({
        path,
        method,
        body: hasBody,
      });
      expect(op.security).toBeDefined();
    }
  });
});
