import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import type { Response } from 'supertest';
import { CapsulesService } from '@app/capsules';
import { TokensService } from '@app/tokens';
import { createTestApp, expectError, signUp, type TestApp, type TestSession } from './support';
import {
  connectSocket,
  nextEvent,
  record,
  socketsClosable,
  type TestSocket,
} from './support/sockets';
import { closeAll } from './support/teardown';

const HOUR = 3_600_000;
const OBJECT_ID = /^[0-9a-f]{24}$/;

interface Capsule {
  id: string;
  sealed: boolean;
  message?: string;
  deliverAt: string;
  deliveredAt?: string;
  openOn: string | null;
  createdAt: string;
}

interface Entry {
  id: string;
  delta: number;
  reason: string;
  ref: string | null;
  balanceAfter: number;
}

describe('time capsules', () => {
  let t: TestApp;
  let tokens: TokensService;
  let capsules: CapsulesService;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    tokens = t.app.get(TokensService);
    capsules = t.app.get(CapsulesService);
  });

  afterEach(() => {
    t.clock.reset();
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  const inHours = (hours: number): string =>
    new Date(t.clock.now().getTime() + hours * HOUR).toISOString();

  function create(user: TestSession, body: object): Promise<Response> {
    return user.agent.post('/api/v1/capsules').send(body);
  }

  async function created(user: TestSession, body: object): Promise<Capsule> {
    const res = await create(user, body);
    expect(res.status).toBe(201);
    return res.body as Capsule;
  }

  async function listOf(user: TestSession): Promise<Capsule[]> {
    const res = await user.agent.get('/api/v1/capsules');
    expect(res.status).toBe(200);
    return (res.body as { items: Capsule[] }).items;
  }

  async function ledgerOf(user: TestSession): Promise<{ balance: number; entries: Entry[] }> {
    const balance = (await user.agent.get('/api/v1/tokens')).body as { balance: number };
    const res = await user.agent.get('/api/v1/tokens/ledger?limit=100');
    const entries = (res.body as { items: Entry[] }).items;
    // The rule every money path keeps: the ledger's deltas sum to the balance.
    expect(entries.reduce((sum, entry) => sum + entry.delta, 0)).toBe(balance.balance);
    return { balance: balance.balance, entries };
  }

  describe('POST /capsules', () => {
    it('seals a capsule: 201 without its message, charged CAPSULE_COST under a "capsule" ledger entry', async () => {
      const user = await signUp(t);
      const deliverAt = inHours(2);
      const capsule = await created(user, { message: '  to future me \u0007', deliverAt });
      expect(capsule).toEqual({
        id: expect.stringMatching(OBJECT_ID) as unknown,
        sealed: true,
        deliverAt,
        openOn: null,
        createdAt: expect.any(String) as unknown,
      });
      expect('message' in capsule).toBe(false);
      const { balance, entries } = await ledgerOf(user);
      expect(balance).toBe(90);
      expect(entries[0]).toMatchObject({ delta: -10, reason: 'capsule', ref: capsule.id });
    });

    it('with openOn next-birthday opens at the next birthday, 00:00 UTC; 29 February on 28 February in a common year', async () => {
      t.clock.set(new Date('2026-11-21T10:00:00Z'));
      const leapling = await signUp(t, { birthDate: '2000-02-29' });
      const may = await signUp(t, { birthDate: '1990-05-17' });
      const body = { message: 'happy birthday', openOn: 'next-birthday' };
      expect(await created(leapling, body)).toMatchObject({
        sealed: true,
        openOn: 'next-birthday',
        deliverAt: '2027-02-28T00:00:00.000Z',
      });
      expect(await created(may, body)).toMatchObject({ deliverAt: '2027-05-17T00:00:00.000Z' });
    });

    it('refuses every bad field with 400 VALIDATION_FAILED naming it, and charges nothing', async () => {
      const user = await signUp(t);
      const ok = inHours(2);
      const cases: [object, string[]][] = [
        [{}, ['message']],
        [{ deliverAt: ok }, ['message']],
        [{ message: 42, deliverAt: ok }, ['message']],
        [{ message: ' \u0000\n ', deliverAt: ok }, ['message']],
        [{ message: 'x'.repeat(5001), deliverAt: ok }, ['message']],
        [{ message: 'x' }, ['deliverAt']],
        [{ message: 'x', deliverAt: 'tomorrow' }, ['deliverAt']],
        [{ message: 'x', deliverAt: '2030-02-30T10:00:00Z' }, ['deliverAt']],
        [{ message: 'x', deliverAt: inHours(-1) }, ['deliverAt']],
        [{ message: 'x', deliverAt: inHours(0.99) }, ['deliverAt']],
        [{ message: 'x', deliverAt: inHours(50 * 366 * 24) }, ['deliverAt']],
        [{ message: 'x', openOn: 'tomorrow' }, ['openOn']],
        [{ message: 'x', deliverAt: ok, openOn: 'next-birthday' }, ['openOn']],
        [{ message: 'x', deliverAt: ok, ownerId: user.id }, ['ownerId']],
      ];
      for (const [body, fields] of cases) {
        const res = await create(user, body);
        expect({ body, status: res.status, error: (res.body as { error: string }).error }).toEqual({
          body,
          status: 400,
          error: 'VALIDATION_FAILED',
        });
        const named = (res.body as { details: { field: string }[] }).details.map((d) => d.field);
        expect({ body, fields: [...new Set(named)].sort() }).toEqual({
          body,
          fields: [...fields].sort(),
        });
      }
      expect(await listOf(user)).toEqual([]);
      expect((await ledgerOf(user)).balance).toBe(100);
    });

    it('accepts 5000 characters, and a deliverAt just over 1 hour or just under 50 years ahead', async () => {
      const user = await signUp(t);
      await created(user, { message: 'é'.repeat(5000), deliverAt: inHours(1.01) });
      await created(user, { message: 'x', deliverAt: inHours(50 * 365 * 24) });
    });

    it('answers 402 INSUFFICIENT_TOKENS when the balance is below CAPSULE_COST, and stores nothing', async () => {
      const user = await signUp(t);
      await tokens.spend(user.id, 91, 'admin');
      expectError(
        await create(user, { message: 'broke', deliverAt: inHours(2) }),
        402,
        'INSUFFICIENT_TOKENS',
        'This costs 10 tokens; your balance is too low',
      );
      expect(await listOf(user)).toEqual([]);
      expect((await ledgerOf(user)).balance).toBe(9);
    });

    it('of 20 parallel creates on a balance for 5, exactly 5 are sealed and 15 answer 402; the balance ends at 0', async () => {
      const user = await signUp(t);
      await tokens.spend(user.id, 50, 'admin');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          create(user, { message: `c${i}`, deliverAt: inHours(2 + i) }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(15);
      for (const res of refused) expect(res.body).toMatchObject({ error: 'INSUFFICIENT_TOKENS' });
      expect(await listOf(user)).toHaveLength(5);
      const { balance, entries } = await ledgerOf(user);
      expect(balance).toBe(0);
      expect(entries.filter((e) => e.reason === 'capsule')).toHaveLength(5);
    });

    it('a capsule that cannot be stored after the charge is refunded: 500, a "refund" entry naming the charge', async () => {
      const user = await signUp(t);
      const collection = t.app.get<Connection>(getConnectionToken()).collection('capsules');
      // A real refusal of the store: a unique index that allows this owner a single capsule.
      await collection.createIndexes([
        {
          key: { ownerId: 1 },
          name: 'test_one_capsule_for_owner',
          unique: true,
          partialFilterExpression: { ownerId: new Types.ObjectId(user.id) },
        },
      ]);
      try {
        await created(user, { message: 'the only one', deliverAt: inHours(2) });
        const res = await create(user, { message: 'refused by the store', deliverAt: inHours(3) });
        expect(res.status).toBe(500);
        expect(res.body).toMatchObject({ error: 'INTERNAL' });
      } finally {
        await collection.dropIndex('test_one_capsule_for_owner');
      }
      const { balance, entries } = await ledgerOf(user);
      expect(balance).toBe(90);
      const [refund, charge] = entries;
      expect(refund).toMatchObject({ reason: 'refund', delta: 10, balanceAfter: 90 });
      expect(charge).toMatchObject({ reason: 'capsule', delta: -10, balanceAfter: 80 });
      expect(refund.ref).toBe(charge.id);
      expect(await listOf(user)).toHaveLength(1);
    });

    it('needs an access token (401)', async () => {
      const res = await t.http
        .post('/api/v1/capsules')
        .send({ message: 'x', deliverAt: inHours(2) });
      expect(res.status).toBe(401);
    });
  });

  describe('reading and cancelling', () => {
    it("lists the caller's capsules, latest deliverAt last, sealed ones without message; others see 404", async () => {
      const [owner, other] = [await signUp(t), await signUp(t)];
      const late = await created(owner, { message: 'late', deliverAt: inHours(30) });
      const soon = await created(owner, { message: 'soon', deliverAt: inHours(2) });
      const mid = await created(owner, { message: 'mid', deliverAt: inHours(10) });
      expect(await listOf(owner)).toEqual([soon, mid, late]);
      expect(await listOf(other)).toEqual([]);
      const res = await owner.agent.get(`/api/v1/capsules/${mid.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(mid);
      expect(JSON.stringify(res.body)).not.toContain('mid"');
      expectError(
        await other.agent.get(`/api/v1/capsules/${mid.id}`),
        404,
        'NOT_FOUND',
        'No such capsule',
      );
      expectError(
        await other.agent.delete(`/api/v1/capsules/${mid.id}`),
        404,
        'NOT_FOUND',
        'No such capsule',
      );
      expect(await listOf(owner)).toHaveLength(3);
    });

    it('answers 400 naming id for a malformed id, and 404 for an unknown one', async () => {
      const user = await signUp(t);
      for (const method of ['get', 'delete'] as const) {
        expectError(
          await user.agent[method]('/api/v1/capsules/not-an-id'),
          400,
          'VALIDATION_FAILED',
          'Validation failed',
          [{ field: 'id', message: 'must be a 24-character hexadecimal id' }],
        );
        const unknown = await user.agent[method](
          `/api/v1/capsules/${new Types.ObjectId().toHexString()}`,
        );
        expect(unknown.status).toBe(404);
      }
    });

    it('cancels a sealed capsule (204, gone, no refund); a delivered one answers 409 and stays', async () => {
      const user = await signUp(t);
      const sealed = await created(user, { message: 'never mind', deliverAt: inHours(5) });
      const opening = await created(user, { message: 'keep me', deliverAt: inHours(2) });
      t.clock.advance(3 * HOUR);
      await capsules.deliverDue();
      t.clock.reset();
      expect((await user.agent.delete(`/api/v1/capsules/${sealed.id}`)).status).toBe(204);
      expect((await user.agent.get(`/api/v1/capsules/${sealed.id}`)).status).toBe(404);
      expectError(
        await user.agent.delete(`/api/v1/capsules/${opening.id}`),
        409,
        'CONFLICT',
        'This capsule was already delivered; only a sealed one can be cancelled',
      );
      expect(await listOf(user)).toEqual([
        expect.objectContaining({ id: opening.id, sealed: false, message: 'keep me' }),
      ]);
      const { balance, entries } = await ledgerOf(user);
      expect(balance).toBe(80);
      expect(entries.filter((e) => e.reason === 'refund')).toEqual([]);
    });
  });

  describe('delivery', () => {
    it("opens a due capsule once: the owner's sockets get capsule:delivered with the message, others nothing, and it reads unsealed", async () => {
      const [owner, other] = [await signUp(t), await signUp(t)];
      const [first, second, stranger] = await Promise.all(
        [owner, owner, other].map((s) => connectSocket(t.baseUrl, s.accessToken)),
      );
      sockets.push(first, second, stranger);
      const strangerSaw = record(stranger, 'capsule:delivered');
      const firstSaw = record(first, 'capsule:delivered');
      const capsule = await created(owner, {
        message: 'hello from the past',
        deliverAt: inHours(1.01),
      });
      const later = await created(owner, { message: 'not yet', deliverAt: inHours(5) });
      const onFirst = nextEvent(first, 'capsule:delivered', (p) => p.capsule.id === capsule.id);
      const onSecond = nextEvent(second, 'capsule:delivered', (p) => p.capsule.id === capsule.id);

      t.clock.advance(1.02 * HOUR);
      await capsules.deliverDue();
      const delivered = await onFirst;
      expect(await onSecond).toEqual(delivered);
      expect(delivered.capsule).toEqual({
        ...capsule,
        sealed: false,
        message: 'hello from the past',
        deliveredAt: expect.any(String) as unknown,
      });
      const deliveredAt = Date.parse(delivered.capsule.deliveredAt ?? '');
      expect(deliveredAt).toBeGreaterThanOrEqual(Date.parse(capsule.deliverAt));

      // Another pass opens nothing more: once is once.
      await capsules.deliverDue();
      t.clock.reset();
      expect(firstSaw.filter((p) => p.capsule.id === capsule.id)).toHaveLength(1);
      expect(strangerSaw).toEqual([]);
      const read = await owner.agent.get(`/api/v1/capsules/${capsule.id}`);
      expect(read.body).toEqual(delivered.capsule);
      expect(await listOf(owner)).toEqual([delivered.capsule, later]);
    });

    it('the scheduler opens due capsules by itself, every few seconds', async () => {
      const owner = await signUp(t);
      const socket = await connectSocket(t.baseUrl, owner.accessToken);
      sockets.push(socket);
      const capsule = await created(owner, { message: 'on time', deliverAt: inHours(1.01) });
      const arrived = nextEvent(socket, 'capsule:delivered', (p) => p.capsule.id === capsule.id);
      t.clock.advance(1.02 * HOUR);
      expect((await arrived).capsule).toMatchObject({ sealed: false, message: 'on time' });
    });
  });
});
