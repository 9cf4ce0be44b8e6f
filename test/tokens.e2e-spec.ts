import { DomainError } from '@app/common';
import { TokensService } from '@app/tokens';
import { createTestApp, expectError, signUp, type TestApp, type TestSession } from './support';
import { closeAll } from './support/teardown';

const LEDGER = '/api/v1/tokens/ledger';
const OBJECT_ID = /^[0-9a-f]{24}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SIGNUP_TOKENS = 50;

interface Entry {
  id: string;
  delta: number;
  reason: string;
  balanceAfter: number;
  ref: string | null;
  createdAt: string;
}

interface LedgerPage {
  items: Entry[];
  nextCursor: string | null;
}

/** Entries of the documented shape, each once, newest first, whose deltas sum to the balance. */
function expectLedgerOf(entries: readonly Entry[], balance: number): void {
  const ids = entries.map((entry) => entry.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort().reverse()).toEqual(ids);
  for (const entry of entries) {
    expect(entry).toEqual({
      id: expect.stringMatching(OBJECT_ID) as unknown,
      delta: expect.any(Number) as unknown,
      reason: expect.stringMatching(/^(signup|message|capsule|coupon|admin)$/) as unknown,
      balanceAfter: expect.any(Number) as unknown,
      ref: entry.ref === null ? null : (expect.any(String) as unknown),
      createdAt: expect.stringMatching(ISO_TIME) as unknown,
    });
  }
  expect(entries.reduce((sum, entry) => sum + entry.delta, 0)).toBe(balance);
}

/** For changes made one after another: each balanceAfter is the older one plus its delta. */
function expectSequentialLedgerOf(entries: readonly Entry[], balance: number): void {
  expectLedgerOf(entries, balance);
  const times = entries.map((entry) => entry.createdAt);
  expect([...times].sort().reverse()).toEqual(times);
  expect(entries[0]?.balanceAfter ?? 0).toBe(balance);
  entries.forEach((entry, i) => {
    expect(entry.balanceAfter).toBe((entries.at(i + 1)?.balanceAfter ?? 0) + entry.delta);
  });
}

describe('tokens', () => {
  let t: TestApp;
  let tokens: TokensService;

  beforeAll(async () => {
    t = await createTestApp({ env: { SIGNUP_TOKENS: String(SIGNUP_TOKENS) } });
    tokens = t.app.get(TokensService);
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function balanceOf(user: TestSession): Promise<number> {
    const res = await t.http.get('/api/v1/tokens').set(user.auth);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['balance']);
    return (res.body as { balance: number }).balance;
  }

  async function page(user: TestSession, query = ''): Promise<LedgerPage> {
    const res = await t.http.get(`${LEDGER}${query}`).set(user.auth);
    expect(res.status).toBe(200);
    return res.body as LedgerPage;
  }

  /** Every entry, following nextCursor page by page. */
  async function wholeLedger(user: TestSession, limit: number): Promise<Entry[][]> {
    const pages: Entry[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const next = await page(user, query);
      pages.push(next.items);
      cursor = next.nextCursor;
      if (cursor !== null) expect(cursor).toBe(next.items[next.items.length - 1].id);
      if (pages.length > 1000) throw new Error('the ledger does not end');
    } while (cursor !== null);
    return pages;
  }

  it('GET /tokens answers {balance}', async () => {
    const user = await signUp(t);
    const res = await t.http.get('/api/v1/tokens').set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ balance: SIGNUP_TOKENS });
  });

  it('GET /tokens and GET /tokens/ledger need an access token', async () => {
    for (const path of ['/api/v1/tokens', LEDGER]) {
      expectError(await t.http.get(path), 401, 'UNAUTHORIZED', 'A valid access token is required');
    }
  });

  it('of 200 parallel spends of 1 on a balance of 50, exactly 50 succeed and 150 fail with 402 INSUFFICIENT_TOKENS; the balance ends at 0 and the ledger sums to it', async () => {
    const user = await signUp(t);
    expect(await balanceOf(user)).toBe(50);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => tokens.spend(user.id, 1, 'message')),
    );
    const spent = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(spent.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(refused).toHaveLength(150);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(DomainError);
      expect((reason as DomainError).code).toBe('INSUFFICIENT_TOKENS');
    }
    expect(await balanceOf(user)).toBe(0);
    const entries = (await wholeLedger(user, 100)).flat();
    expect(entries).toHaveLength(51);
    expectLedgerOf(entries, 0);
    const after = entries.map((e) => e.balanceAfter).sort((x, y) => x - y);
    expect(after).toEqual([...Array.from({ length: 50 }, (_, i) => i), 50]);
    expect(entries.filter((e) => e.reason === 'message' && e.delta === -1)).toHaveLength(50);
    expect(entries.at(-1)).toMatchObject({ reason: 'signup', delta: 50, balanceAfter: 50 });
  });

  it('refuses a spend beyond the balance with INSUFFICIENT_TOKENS and changes neither balance nor ledger', async () => {
    const user = await signUp(t);
    await expect(tokens.spend(user.id, SIGNUP_TOKENS + 1, 'capsule')).rejects.toMatchObject({
      code: 'INSUFFICIENT_TOKENS',
    });
    expect(await balanceOf(user)).toBe(SIGNUP_TOKENS);
    expect((await page(user)).items).toHaveLength(1);
  });

  it('writes every grant and spend as a ledger entry {id, delta, reason, balanceAfter, ref, createdAt}, newest first', async () => {
    const user = await signUp(t);
    await tokens.grant(user.id, 7, 'admin', 'admin-ref');
    await tokens.spend(user.id, 10, 'capsule', 'capsule-ref');
    await tokens.grant(user.id, 3, 'coupon');
    const { items, nextCursor } = await page(user);
    expect(nextCursor).toBeNull();
    expect(
      items.map(({ delta, reason, balanceAfter, ref }) => ({ delta, reason, balanceAfter, ref })),
    ).toEqual([
      { delta: 3, reason: 'coupon', balanceAfter: 50, ref: null },
      { delta: -10, reason: 'capsule', balanceAfter: 47, ref: 'capsule-ref' },
      { delta: 7, reason: 'admin', balanceAfter: 57, ref: 'admin-ref' },
      { delta: 50, reason: 'signup', balanceAfter: 50, ref: null },
    ]);
    expectSequentialLedgerOf(items, 50);
    expect(await balanceOf(user)).toBe(50);
  });

  it('shows each user only their own ledger', async () => {
    const [user, other] = await Promise.all([signUp(t), signUp(t)]);
    await tokens.grant(user.id, 5, 'admin');
    const { items } = await page(other);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ delta: SIGNUP_TOKENS, reason: 'signup' });
    expect(await balanceOf(other)).toBe(SIGNUP_TOKENS);
  });

  it('pages the ledger with cursor and limit without gaps or repeats, 50 entries by default', async () => {
    const user = await signUp(t);
    for (let i = 0; i < 60; i++) {
      if (i % 3 === 2) await tokens.spend(user.id, 2, 'message');
      else await tokens.grant(user.id, 1, 'admin');
    }
    const balance = SIGNUP_TOKENS + 40 - 40;
    expect(await balanceOf(user)).toBe(balance);
    const all = (await page(user, '?limit=100')).items;
    expect(all).toHaveLength(61);
    expectSequentialLedgerOf(all, balance);
    for (const limit of [1, 7, 61]) {
      const pages = await wholeLedger(user, limit);
      expect(pages.map((p) => p.length)).toEqual([
        ...Array<number>(Math.floor(61 / limit)).fill(limit),
        ...(61 % limit ? [61 % limit] : []),
      ]);
      expect(pages.flat()).toEqual(all);
    }
    const first = await page(user);
    expect(first.items).toEqual(all.slice(0, 50));
    expect(first.nextCursor).toBe(all[49].id);
    expect((await page(user, `?cursor=${all[49].id}`)).items).toEqual(all.slice(50));
  });

  it.each(['0', '101', '-1', '1.5', 'ten'])(
    'refuses limit=%s with 400 naming limit',
    async (limit) => {
      const user = await signUp(t);
      const res = await t.http.get(`${LEDGER}?limit=${limit}`).set(user.auth);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Validation failed',
        details: [{ field: 'limit', message: expect.any(String) as unknown }],
        requestId: res.headers['x-request-id'],
      });
    },
  );

  it('accepts limit=1 and limit=100', async () => {
    const user = await signUp(t);
    expect((await page(user, '?limit=1')).items).toHaveLength(1);
    expect((await page(user, '?limit=100')).items).toHaveLength(1);
  });

  it.each(['not-a-cursor', '0123456789abcdef0123456', '0123456789abcdef0123456z'])(
    'refuses cursor=%s with 400 naming cursor',
    async (cursor) => {
      const user = await signUp(t);
      const res = await t.http.get(`${LEDGER}?cursor=${cursor}`).set(user.auth);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Validation failed',
        details: [{ field: 'cursor', message: expect.any(String) as unknown }],
        requestId: res.headers['x-request-id'],
      });
    },
  );

  it('refuses unknown and "$" query keys with 400', async () => {
    const user = await signUp(t);
    const unknown = await t.http.get(`${LEDGER}?userId=0123456789abcdef01234567`).set(user.auth);
    expectError(unknown, 400, 'VALIDATION_FAILED', 'Validation failed', [
      { field: 'userId', message: 'is not an allowed field' },
    ]);
    const operator = await t.http.get(`${LEDGER}?cursor[$gt]=0`).set(user.auth);
    expectError(
      operator,
      400,
      'VALIDATION_FAILED',
      'The request has forbidden keys or is nested too deeply',
      [{ field: 'cursor[$gt]', message: 'query keys must not start with "$" or contain "."' }],
    );
  });
});
