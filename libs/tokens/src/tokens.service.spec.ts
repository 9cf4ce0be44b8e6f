import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainError, ManualClock } from '@app/common';
import { TOKENS_BALANCE_CHANGED, type TokensBalanceChanged } from './tokens.events';
import type { TokensRepository } from './tokens.repository';
import { FakeTokensRepository, InjectedFault } from './tokens.repository.fake';
import { TokensService } from './tokens.service';

const ALICE = '64b000000000000000000a11';
const BOB = '64b000000000000000000b0b';
const LEDGER_LOST = 'The ledger could not be written; the balance change was undone';

describe('TokensService', () => {
  let repo: FakeTokensRepository;
  let clock: ManualClock;
  let service: TokensService;
  let changes: TokensBalanceChanged[];
  let loggedErrors: jest.SpyInstance;

  beforeEach(() => {
    repo = new FakeTokensRepository();
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    const events = new EventEmitter2();
    changes = [];
    events.on(TOKENS_BALANCE_CHANGED, (event: TokensBalanceChanged) => changes.push(event));
    service = new TokensService(repo as unknown as TokensRepository, clock, events);
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    loggedErrors.mockRestore();
  });

  /** The invariant every path keeps: the user's ledger deltas sum to the wallet's balance. */
  function expectLedgerMatchesBalance(userId: string): void {
    const ledger = repo.ledgerOf(userId);
    const balance = repo.walletOf(userId) ?? 0;
    expect(ledger.reduce((sum, entry) => sum + entry.delta, 0)).toBe(balance);
    if (ledger.length > 0) expect(ledger[ledger.length - 1].balanceAfter).toBe(balance);
  }

  async function walletWith(userId: string, balance: number): Promise<void> {
    await service.grant(userId, balance, 'signup');
    changes.length = 0;
  }

  async function rejection(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => error,
    );
  }

  describe('spend', () => {
    it('takes the amount when the balance covers it, writes one ledger entry and announces the balance', async () => {
      await walletWith(ALICE, 100);
      clock.advance(5_000);

      await expect(service.spend(ALICE, 30, 'message', 'msg-1')).resolves.toBe(70);

      expect(repo.walletOf(ALICE)).toBe(70);
      expect(repo.ledgerOf(ALICE).at(-1)).toEqual({
        id: expect.any(String) as string,
        userId: ALICE,
        delta: -30,
        reason: 'message',
        ref: 'msg-1',
        balanceAfter: 70,
        createdAt: clock.now(),
      });
      expect(changes).toEqual([{ userId: ALICE, balance: 70 }]);
      expectLedgerMatchesBalance(ALICE);
    });

    it('may spend the whole balance down to zero', async () => {
      await walletWith(ALICE, 40);
      await expect(service.spend(ALICE, 40, 'capsule')).resolves.toBe(0);
      expectLedgerMatchesBalance(ALICE);
    });

    it('refuses a spend the balance does not cover with INSUFFICIENT_TOKENS, changing nothing', async () => {
      await walletWith(ALICE, 29);

      const error = await rejection(service.spend(ALICE, 30, 'message'));

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'INSUFFICIENT_TOKENS' });
      expect((error as DomainError).message).toContain('30 tokens');
      expect(repo.walletOf(ALICE)).toBe(29);
      expect(repo.ledgerOf(ALICE)).toHaveLength(1);
      expect(changes).toEqual([]);
      expectLedgerMatchesBalance(ALICE);
    });

    it('refuses a spend from a user who never had a wallet with INSUFFICIENT_TOKENS', async () => {
      await expect(service.spend(BOB, 1, 'message')).rejects.toMatchObject({
        code: 'INSUFFICIENT_TOKENS',
      });
      expect(repo.walletOf(BOB)).toBeUndefined();
      expect(repo.ledgerOf(BOB)).toEqual([]);
    });

    it('never goes below zero under parallel spends: only those the balance covers succeed', async () => {
      await walletWith(ALICE, 100);

      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => service.spend(ALICE, 30, 'message')),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(r.reason).toMatchObject({ code: 'INSUFFICIENT_TOKENS' });
      }
      expect(repo.walletOf(ALICE)).toBe(10);
      expect(changes.map((c) => c.balance)).toEqual([70, 40, 10]);
      expectLedgerMatchesBalance(ALICE);
    });
  });

  describe('charge, nameCharge and refund', () => {
    it('charges like spend and answers the entry; nameCharge gives the entry its ref once', async () => {
      await service.grant(ALICE, 5, 'signup');
      const charge = await service.charge(ALICE, 2, 'message');
      expect(charge).toEqual({
        userId: ALICE,
        amount: 2,
        entryId: expect.any(String) as unknown,
        balance: 3,
      });
      await service.nameCharge(charge, 'message-1');
      await service.nameCharge(charge, 'message-2');
      const entry = repo.ledgerOf(ALICE).find((e) => e.id === charge.entryId);
      expect(entry).toMatchObject({ delta: -2, reason: 'message', ref: 'message-1' });
      expectLedgerMatchesBalance(ALICE);
    });

    it('refunds a charge with a refund entry naming it; the ledger still sums to the balance', async () => {
      await service.grant(ALICE, 5, 'signup');
      const charge = await service.charge(ALICE, 2, 'capsule', 'capsule-1');
      await service.refund(charge);
      expect(repo.walletOf(ALICE)).toBe(5);
      expect(repo.ledgerOf(ALICE).at(-1)).toMatchObject({
        delta: 2,
        reason: 'refund',
        ref: charge.entryId,
        balanceAfter: 5,
      });
      expectLedgerMatchesBalance(ALICE);
    });

    it('logs a refund that fails for reconciliation instead of throwing', async () => {
      await service.grant(ALICE, 5, 'signup');
      const charge = await service.charge(ALICE, 2, 'message');
      repo.faults.next('credit');
      await expect(service.refund(charge)).resolves.toBeUndefined();
      expect(loggedErrors).toHaveBeenCalledWith(
        expect.objectContaining({ userId: ALICE, entryId: charge.entryId, cost: 2 }),
        expect.stringContaining('reconcile this wallet'),
      );
    });
  });

  it('logs a ref that could not be written, and keeps the charge', async () => {
    await service.grant(ALICE, 5, 'signup');
    const charge = await service.charge(ALICE, 2, 'message');
    repo.faults.next('setRef');
    await expect(service.nameCharge(charge, 'message-1')).resolves.toBeUndefined();
    expect(repo.walletOf(ALICE)).toBe(3);
    expect(loggedErrors).toHaveBeenCalledWith(
      expect.objectContaining({ entryId: charge.entryId, ref: 'message-1' }),
      expect.stringContaining('could not be given its ref'),
    );
  });

  describe('grant', () => {
    it('creates the wallet on first use, writes the entry and announces the balance', async () => {
      await expect(service.grant(BOB, 100, 'signup')).resolves.toBe(100);

      expect(repo.walletOf(BOB)).toBe(100);
      expect(repo.ledgerOf(BOB)).toEqual([
        expect.objectContaining({ delta: 100, reason: 'signup', ref: null, balanceAfter: 100 }),
      ]);
      expect(changes).toEqual([{ userId: BOB, balance: 100 }]);
      expectLedgerMatchesBalance(BOB);
    });

    it('adds to an existing balance', async () => {
      await walletWith(ALICE, 10);
      await expect(service.grant(ALICE, 25, 'coupon', 'coupon-1')).resolves.toBe(35);
      await expect(service.hasLedgerEntry(ALICE, 'coupon', 'coupon-1')).resolves.toBe(true);
      await expect(service.hasLedgerEntry(ALICE, 'coupon', 'coupon-2')).resolves.toBe(false);
      expectLedgerMatchesBalance(ALICE);
    });
  });

  it.each([0, -5, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'refuses an amount of %p before touching any wallet',
    async (amount) => {
      const credit = jest.spyOn(repo, 'credit');
      const debit = jest.spyOn(repo, 'debitIfCovered');

      await expect(service.grant(ALICE, amount, 'admin')).rejects.toThrow(/positive whole number/);
      await expect(service.spend(ALICE, amount, 'admin')).rejects.toThrow(/positive whole number/);

      expect(credit).not.toHaveBeenCalled();
      expect(debit).not.toHaveBeenCalled();
    },
  );

  describe('a ledger write that fails', () => {
    it('is looked up by its id when its outcome is unknown and, found, not written twice', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'lost-reply');
      const append = jest.spyOn(repo, 'append');
      const lookup = jest.spyOn(repo, 'hasEntry');

      await expect(service.spend(ALICE, 30, 'message')).resolves.toBe(70);

      expect(append).toHaveBeenCalledTimes(1);
      expect(lookup).toHaveBeenCalledWith(append.mock.calls[0][0].id);
      expect(repo.ledgerOf(ALICE)).toHaveLength(2);
      expect(changes).toEqual([{ userId: ALICE, balance: 70 }]);
      expectLedgerMatchesBalance(ALICE);
    });

    it('is retried once, with the same id, when the lookup says it did not happen', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'fails');
      const append = jest.spyOn(repo, 'append');

      await expect(service.spend(ALICE, 30, 'message')).resolves.toBe(70);

      expect(append).toHaveBeenCalledTimes(2);
      expect(append.mock.calls[1][0].id).toBe(append.mock.calls[0][0].id);
      expect(changes).toEqual([{ userId: ALICE, balance: 70 }]);
      expectLedgerMatchesBalance(ALICE);
    });

    it('is retried when the lookup itself fails, and the retry of a write that had landed is settled by its id (never two entries)', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'lost-reply');
      repo.faults.next('hasEntry', 'fails');

      await expect(service.grant(ALICE, 5, 'admin')).resolves.toBe(105);

      expect(repo.ledgerOf(ALICE).filter((e) => e.delta === 5)).toHaveLength(1);
      expectLedgerMatchesBalance(ALICE);
    });

    it('surely failing twice undoes a spend: the tokens come back, the caller gets an error, nothing is announced', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'fails', 2);
      const append = jest.spyOn(repo, 'append');

      await expect(service.spend(ALICE, 30, 'message')).rejects.toThrow(LEDGER_LOST);

      expect(append).toHaveBeenCalledTimes(2);
      expect(repo.walletOf(ALICE)).toBe(100);
      expect(repo.ledgerOf(ALICE)).toHaveLength(1);
      expect(changes).toEqual([]);
      expect(loggedErrors).not.toHaveBeenCalled();
      expectLedgerMatchesBalance(ALICE);
    });

    it('surely failing twice undoes a grant while its tokens are still there', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'fails', 2);

      await expect(service.grant(ALICE, 50, 'coupon', 'coupon-1')).rejects.toThrow(LEDGER_LOST);

      expect(repo.walletOf(ALICE)).toBe(100);
      await expect(service.hasLedgerEntry(ALICE, 'coupon', 'coupon-1')).resolves.toBe(false);
      expect(changes).toEqual([]);
      expect(loggedErrors).not.toHaveBeenCalled();
      expectLedgerMatchesBalance(ALICE);
    });

    it('never takes a failed grant back below zero: when its tokens were spent meanwhile, the wallet is logged for reconciliation', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'fails', 2);
      // Between the grant's credit and its undo, the user spends the granted tokens.
      repo.faults.before('debitIfCovered', () => service.spend(ALICE, 120, 'capsule'));

      await expect(service.grant(ALICE, 50, 'coupon', 'coupon-1')).rejects.toThrow(LEDGER_LOST);

      expect(repo.walletOf(ALICE)).toBe(30);
      expect(loggedErrors).toHaveBeenCalledWith(
        expect.objectContaining({ userId: ALICE, delta: 50, reason: 'coupon' }),
        expect.stringContaining('reconcile this wallet'),
      );
      // The ledger lacks exactly the lost grant: what the log asks to reconcile.
      const sum = repo.ledgerOf(ALICE).reduce((total, entry) => total + entry.delta, 0);
      expect(repo.walletOf(ALICE)).toBe(sum + 50);
    });

    it('undoes nothing when the ledger does not answer its lookups: an entry that landed keeps the sum right, and the wallet is logged', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'lost-reply');
      repo.faults.next('append', 'fails');
      repo.faults.next('hasEntry', 'fails', 2);

      await expect(service.spend(ALICE, 30, 'message')).rejects.toThrow(
        'The ledger did not answer; the balance change is kept for reconciliation',
      );

      expect(repo.walletOf(ALICE)).toBe(70);
      expectLedgerMatchesBalance(ALICE);
      expect(changes).toEqual([]);
      expect(loggedErrors).toHaveBeenCalledWith(
        expect.objectContaining({ userId: ALICE, delta: -30, reason: 'message' }),
        expect.stringContaining('reconcile this wallet'),
      );
    });

    it('logs the wallet for reconciliation when the undo itself fails, and still refuses', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('append', 'fails', 2);
      repo.faults.next('credit', 'fails');

      await expect(service.spend(ALICE, 30, 'message')).rejects.toThrow(LEDGER_LOST);

      expect(loggedErrors).toHaveBeenCalledWith(
        expect.objectContaining({ userId: ALICE, delta: -30, reason: 'message' }),
        expect.stringContaining('reconcile this wallet'),
      );
      expect(changes).toEqual([]);
    });

    it('surfaces an error of the wallet update itself, without a ledger entry or an announcement', async () => {
      await walletWith(ALICE, 100);
      repo.faults.next('debitIfCovered', 'fails');

      await expect(service.spend(ALICE, 30, 'message')).rejects.toBeInstanceOf(InjectedFault);

      expect(repo.walletOf(ALICE)).toBe(100);
      expect(changes).toEqual([]);
      expectLedgerMatchesBalance(ALICE);
    });
  });

  it('pages the ledger newest first, the last id of a full page as its cursor', async () => {
    await service.grant(ALICE, 100, 'signup');
    await service.spend(ALICE, 10, 'message', 'm1');
    await service.spend(ALICE, 20, 'message', 'm2');

    const first = await service.ledger(ALICE, undefined, 2);
    expect(first.items.map((e) => e.ref)).toEqual(['m2', 'm1']);
    expect(first.nextCursor).toBe(first.items[1].id);

    const second = await service.ledger(ALICE, first.nextCursor ?? undefined, 2);
    expect(second.items.map((e) => e.delta)).toEqual([100]);
    expect(second.nextCursor).toBeNull();
    await expect(service.balance(ALICE)).resolves.toBe(70);
  });
});
