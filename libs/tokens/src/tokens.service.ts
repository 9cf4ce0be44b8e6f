import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainError, Clock, type Page, toPage } from '@app/common';
import type { DayTotal, TimeSpan } from '@app/database';
import type { LedgerReason } from './token-schemas';
import { TOKENS_BALANCE_CHANGED, type TokensBalanceChanged } from './tokens.events';
import { type LedgerRecord, type LedgerTotals, TokensRepository } from './tokens.repository';

export function insufficientTokens(needed: number): DomainError {
  return new DomainError(
    'INSUFFICIENT_TOKENS',
    `This costs ${needed} tokens; your balance is too low`,
  );
}

/** A spend as the ledger holds it: what a refund gives back, and what names its purchase later. */
export interface Charge {
  userId: string;
  amount: number;
  /** The ledger entry of the spend. */
  entryId: string;
  balance: number;
}

/**
 * The only way balances change. Each change is one conditional update of the wallet plus one
 * ledger entry carrying the balance after it, so the ledger always sums to the balance without
 * transactions (single-document atomicity). A ledger write whose outcome is unknown is looked up
 * by its id and retried once; only when it surely did not happen is the wallet update undone
 * (a grant only if the tokens are still there, so a balance never goes below zero). When the
 * ledger does not even answer the lookup, nothing is undone and the wallet is logged for
 * reconciliation: undoing a change whose entry may exist would break the sum.
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);

  constructor(
    private readonly tokens: TokensRepository,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  balance(userId: string): Promise<number> {
    return this.tokens.balance(userId);
  }

  /** Takes `amount` tokens or throws 402 INSUFFICIENT_TOKENS; never below zero. */
  async spend(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null = null,
  ): Promise<number> {
    return (await this.charge(userId, amount, reason, ref)).balance;
  }

  /**
   * spend, answering the charge itself: for a purchase that may not be stored after it (then
   * `refund`), or whose id is known only once it is stored (then `nameCharge`).
   */
  async charge(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null = null,
  ): Promise<Charge> {
    const entry = await this.debited(userId, amount, reason, ref);
    return { userId, amount, entryId: entry.id, balance: entry.balanceAfter };
  }

  /**
   * Names what a charge bought, once it is stored. A failure is logged, not thrown: the purchase
   * stands and the ledger still sums to the balance; only the entry's ref stays empty.
   */
  async nameCharge(charge: Charge, ref: string): Promise<void> {
    try {
      await this.tokens.setRef(charge.entryId, ref);
    } catch (error) {
      this.logger.error(
        { userId: charge.userId, entryId: charge.entryId, ref, error: String(error) },
        'A ledger entry could not be given its ref',
      );
    }
  }

  /**
   * Gives back a charge whose purchase could not be stored: a `refund` entry whose ref is the
   * charge's entry. A failed refund is logged for reconciliation, not thrown, so that the caller
   * still surfaces the failure that made it necessary.
   */
  async refund(charge: Charge): Promise<void> {
    try {
      await this.grant(charge.userId, charge.amount, 'refund', charge.entryId);
    } catch (error) {
      this.logger.error(
        {
          userId: charge.userId,
          entryId: charge.entryId,
          cost: charge.amount,
          error: String(error),
        },
        'The refund of a purchase that was not stored failed: reconcile this wallet',
      );
    }
  }

  /** Adds `amount` tokens (creating the wallet on first use). */
  async grant(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null = null,
  ): Promise<number> {
    return (await this.credited(userId, amount, reason, ref)).balanceAfter;
  }

  /**
   * Adds `delta` tokens, or takes them when it is negative (402 below zero), answering the ledger
   * entry written: for changes shown with their entry (an admin's adjustment).
   */
  async adjust(
    userId: string,
    delta: number,
    reason: LedgerReason,
    ref: string | null,
  ): Promise<LedgerRecord> {
    return delta > 0
      ? this.credited(userId, delta, reason, ref)
      : this.debited(userId, -delta, reason, ref);
  }

  /**
   * Closes the wallet of a deleted account. Its ledger entries stay, holding nothing personal (an
   * opaque user id, amounts, reasons, refs), so that the totals keep adding up.
   */
  closeWallet(userId: string): Promise<void> {
    return this.tokens.deleteWallet(userId);
  }

  /** Whether the user's ledger holds an entry for this reason and reference. */
  hasLedgerEntry(userId: string, reason: LedgerReason, ref: string): Promise<boolean> {
    return this.tokens.hasEntryFor(userId, reason, ref);
  }

  async ledger(
    userId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<LedgerRecord>> {
    return toPage(await this.tokens.page(userId, cursor, limit), limit);
  }

  /** Tokens granted and spent in the span: ledger deltas summed by sign (refunds are grants). */
  ledgerTotals(span: TimeSpan): Promise<LedgerTotals> {
    return this.tokens.totals(span);
  }

  /** Tokens spent per UTC day of the span. */
  spentByDay(span: TimeSpan): Promise<DayTotal[]> {
    return this.tokens.spentByDay(span);
  }

  private async debited(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null,
  ): Promise<LedgerRecord> {
    checkAmount(amount);
    const balance = await this.tokens.debitIfCovered(userId, amount);
    if (balance === null) throw insufficientTokens(amount);
    return this.record({ userId, delta: -amount, reason, ref, balanceAfter: balance }, async () => {
      await this.tokens.credit(userId, amount);
      return true;
    });
  }

  private async credited(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null,
  ): Promise<LedgerRecord> {
    checkAmount(amount);
    const balance = await this.tokens.credit(userId, amount);
    return this.record(
      { userId, delta: amount, reason, ref, balanceAfter: balance },
      async () => (await this.tokens.debitIfCovered(userId, amount)) !== null,
    );
  }

  /** Writes the ledger entry of a wallet change already made, and answers it. */
  private async record(
    change: Omit<LedgerRecord, 'id' | 'createdAt'>,
    undo: () => Promise<boolean>,
  ): Promise<LedgerRecord> {
    const entry: LedgerRecord = {
      ...change,
      id: this.tokens.newEntryId(),
      createdAt: this.clock.now(),
    };
    const outcome = await this.written(entry);
    if (outcome === 'unknown') {
      this.logger.error(
        { userId: entry.userId, delta: entry.delta, reason: entry.reason, entryId: entry.id },
        'Ledger entry outcome unknown (the ledger did not answer): reconcile this wallet',
      );
      throw new Error('The ledger did not answer; the balance change is kept for reconciliation');
    }
    if (outcome === 'absent') {
      const undone = await undo().catch(() => false);
      if (!undone) {
        this.logger.error(
          { userId: entry.userId, delta: entry.delta, reason: entry.reason },
          'Ledger entry lost and its balance change could not be undone: reconcile this wallet',
        );
      }
      throw new Error('The ledger could not be written; the balance change was undone');
    }
    const event: TokensBalanceChanged = { userId: entry.userId, balance: entry.balanceAfter };
    this.events.emit(TOKENS_BALANCE_CHANGED, event);
    return entry;
  }

  /**
   * Whether the entry is in the ledger after at most two attempts: written, surely absent (the
   * ledger answered that it is not there), or unknown (the ledger did not answer the lookup).
   */
  private async written(entry: LedgerRecord): Promise<'written' | 'absent' | 'unknown'> {
    let answered = true;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.tokens.append(entry);
        return 'written';
      } catch {
        const found = await this.tokens.hasEntry(entry.id).catch(() => undefined);
        if (found === true) return 'written';
        if (found === undefined) answered = false;
      }
    }
    return answered ? 'absent' : 'unknown';
  }
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new Error(`A token amount must be a positive whole number, not ${amount}`);
  }
}
