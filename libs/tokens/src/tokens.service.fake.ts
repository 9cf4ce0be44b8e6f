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
    const charge = await this.charge(userId, amount, reason);
    await this.settle(charge, ref);
    return charge.balance;
  }

  charge(userId: string, amount: number, reason: LedgerReason): Promise<Charge> {
    const balance = this.balances.get(userId) ?? 0;
    if (balance < amount) return Promise.reject(insufficientTokens(amount));
    this.balances.set(userId, balance - amount);
    this.lastId += 1;
    const entryId = `entry-${this.lastId}`;
    return Promise.resolve({
      userId,
      amount,
      reason,
      entryId,
      createdAt: new Date(0),
      balance: balance - amount,
    });
  }

  settle(charge: Charge, ref: string | null): Promise<void> {
    const { entryId: id, userId, amount, reason } = charge;
    this.ledger.push({ id, userId, delta: -amount, reason, ref });
    return Promise.resolve();
  }

  async refund(charge: Charge): Promise<void> {
    await this.settle(charge, null);
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
