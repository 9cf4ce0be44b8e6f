import type { LedgerReason } from './token-schemas';
import { type Charge, insufficientTokens } from './tokens.service';

export interface FakeLedgerEntry {
  id: string;
  userId: string;
  delta: number;
  reason: LedgerReason;
  ref: string | null;
}

/**
 * For unit specs of services that spend and grant: balances and a ledger in memory, with
 * TokensService's refusal of a spend the balance does not cover; `failGrants` makes grants fail
 * (and so refunds, which TokensService logs instead of throwing).
 */
export class FakeTokens {
  readonly balances: Map<string, number>;
  /** The entries since the spec's start. */
  readonly ledger: FakeLedgerEntry[] = [];
  failGrants = false;
  private lastId = 0;

  constructor(balances: Iterable<[string, number]> = []) {
    this.balances = new Map(balances);
  }

  async spend(userId: string, amount: number, reason: LedgerReason, ref: string | null = null) {
    return (await this.charge(userId, amount, reason, ref)).balance;
  }

  charge(
    userId: string,
    amount: number,
    reason: LedgerReason,
    ref: string | null = null,
  ): Promise<Charge> {
    const balance = this.balances.get(userId) ?? 0;
    if (balance < amount) return Promise.reject(insufficientTokens(amount));
    this.balances.set(userId, balance - amount);
    const entryId = this.append({ userId, delta: -amount, reason, ref });
    return Promise.resolve({ userId, amount, entryId, balance: balance - amount });
  }

  nameCharge(charge: Charge, ref: string): Promise<void> {
    const entry = this.ledger.find((e) => e.id === charge.entryId);
    if (entry && entry.ref === null) entry.ref = ref;
    return Promise.resolve();
  }

  async refund(charge: Charge): Promise<void> {
    await this.grant(charge.userId, charge.amount, 'refund', charge.entryId).catch(() => undefined);
  }

  grant(userId: string, amount: number, reason: LedgerReason, ref: string | null = null) {
    if (this.failGrants) return Promise.reject(new Error('wallet unavailable'));
    const balance = (this.balances.get(userId) ?? 0) + amount;
    this.balances.set(userId, balance);
    this.append({ userId, delta: amount, reason, ref });
    return Promise.resolve(balance);
  }

  private append(entry: Omit<FakeLedgerEntry, 'id'>): string {
    this.lastId += 1;
    const id = `entry-${this.lastId}`;
    this.ledger.push({ id, ...entry });
    return id;
  }
}
