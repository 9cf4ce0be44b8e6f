import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ApiError, Clock, type Page, toPage } from '@app/common';
import type { LedgerReason } from './token-schemas';
import { TOKENS_BALANCE_CHANGED, type TokensBalanceChanged } from './tokens.events';
import { type LedgerRecord, TokensRepository } from './tokens.repository';

export function insufficientTokens(needed: number): ApiError {
  return new ApiError(
    402,
    'INSUFFICIENT_TOKENS',
    `This costs ${needed} tokens; your balance is too low`,
  );
}

/**
 * The only way balances change. Each change is one conditional update of the wallet plus one
 * ledger entry carrying the balance after it; if the ledger write fails, the update is undone,
 * so the ledger always sums to the balance. No transactions needed (single-document atomicity).
 */
@Injectable()
export class TokensService {
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
    const balance = await this.tokens.debitIfCovered(userId, amount);
    if (balance === null) throw insufficientTokens(amount);
    await this.record(userId, -amount, reason, ref, balance);
    return balance;
  }

  /** Adds `amount` tokens (creating the wallet on first use). */
  async grant(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null = null,
  ): Promise<number> {
    const balance = await this.tokens.credit(userId, amount);
    await this.record(userId, amount, reason, ref, balance);
    return balance;
  }

  async ledger(
    userId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<LedgerRecord>> {
    return toPage(await this.tokens.page(userId, cursor, limit), limit, (entry) => entry);
  }

  private async record(
    userId: string,
    delta: number,
    reason: LedgerReason,
    ref: string | null,
    balanceAfter: number,
  ): Promise<void> {
    try {
      await this.tokens.append({
        userId,
        delta,
        reason,
        ref,
        balanceAfter,
        createdAt: this.clock.now(),
      });
    } catch (error) {
      await this.tokens.credit(userId, -delta);
      throw error;
    }
    const event: TokensBalanceChanged = { userId, balance: balanceAfter };
    this.events.emit(TOKENS_BALANCE_CHANGED, event);
  }
}
