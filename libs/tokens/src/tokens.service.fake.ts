import type { LedgerReason } from './token-schemas';
import { insufficientTokens } from './tokens.service';

export interface FakeLedgerEntry {
  userId: string;
  delta: number;
  reason: LedgerReason;
  ref: string | null;
}

/**
 * For unit specs of services that spend and grant: balances and a ledger in memory, with
 * TokensService's refusal of a spend the balance does not cover; `failGrants` makes grants fail.
 */
export class FakeTokens {
  readonly balances: Map<string, number>;
  /** The entries since the spec's start. */
  readonly ledger: FakeLedgerEntry[] = [];
  failGrants = false;

  constructor(balances: Iterable<[string, number]> = []) {
    this.balances = new Map(balances);
  }

  spend(userId: string, amount: number, reason: LedgerReason, ref: string | null = null) {
    const balance = this.balances.get(userId) ?? 0;
    if (balance < amount) return Promise.reject(insufficientTokens(amount));
    this.balances.set(userId, balance - amount);
    this.ledger.push({ userId, delta: -amount, reason, ref });
    return Promise.resolve(balance - amount);
  }

  grant(userId: string, amount: number, reason: LedgerReason, ref: string | null = null) {
    if (this.failGrants) return Promise.reject(new Error('wallet unavailable'));
    const balance = (this.balances.get(userId) ?? 0) + amount;
    this.balances.set(userId, balance);
    this.ledger.push({ userId, delta: amount, reason, ref });
    return Promise.resolve(balance);
  }
}
