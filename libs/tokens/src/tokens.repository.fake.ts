import type { LedgerReason } from './token-schemas';
import type { LedgerRecord, TokensRepository } from './tokens.repository';

/** How a planned call of a fake repository method goes wrong. */
export type Fault =
  /** Throws before touching the data: the change surely did not happen. */
  | 'fails'
  /** Makes the change, then throws as a lost reply would: the caller cannot tell it happened. */
  | 'lost-reply';

/** The error a planned fault throws. */
export class InjectedFault extends Error {
  constructor(
    readonly method: string,
    readonly fault: Fault,
  ) {
    super(`${method}: ${fault === 'fails' ? 'failed' : 'reply lost'} (injected)`);
    this.name = 'InjectedFault';
  }
}

/**
 * Failure injection for the in-memory fakes: planned faults of the next calls of a method, and
 * actions (another client's write, say) run just before a call. A change itself is applied
 * synchronously, so each call is atomic as a single-document update is.
 */
export class Faults<M extends string> {
  private readonly planned = new Map<M, Fault[]>();
  private readonly actions = new Map<M, (() => Promise<unknown>)[]>();

  /** The next `times` calls of `method` go wrong this way. */
  next(method: M, fault: Fault = 'fails', times = 1): void {
    const queue = this.planned.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.planned.set(method, queue);
  }

  /** Runs `action` just before the next call of `method` does anything. */
  before(method: M, action: () => Promise<unknown>): void {
    this.actions.set(method, [...(this.actions.get(method) ?? []), action]);
  }

  async run<T>(method: M, apply: () => T): Promise<T> {
    const action = this.actions.get(method)?.shift();
    if (action) await action();
    const fault = this.planned.get(method)?.shift();
    if (fault === 'fails') throw new InjectedFault(method, fault);
    const result = apply();
    if (fault === 'lost-reply') throw new InjectedFault(method, fault);
    return result;
  }
}

type Method =
  'balance' | 'debitIfCovered' | 'credit' | 'append' | 'setRef' | 'hasEntryFor' | 'hasEntry';

/** MongoDB's answer to a second insert of the same _id. */
function duplicateKey(id: string): Error {
  return Object.assign(new Error(`E11000 duplicate key error: _id ${id}`), {
    code: 11000,
    keyPattern: { _id: 1 },
  });
}

/**
 * TokensRepository in memory, with its semantics: a debit only when the balance covers it (null
 * otherwise), a credit creating the wallet, an append refused for an id already written. The
 * statistics sums are aggregation queries, checked end to end, not here.
 */
export class FakeTokensRepository implements Omit<
  TokensRepository,
  'totals' | 'spentByDay' | 'deleteWallet'
> {
  readonly faults = new Faults<Method>();
  private readonly wallets = new Map<string, number>();
  private readonly entries: LedgerRecord[] = [];
  private lastId = 0;

  balance(userId: string): Promise<number> {
    return this.faults.run('balance', () => this.wallets.get(userId) ?? 0);
  }

  debitIfCovered(userId: string, amount: number): Promise<number | null> {
    return this.faults.run('debitIfCovered', () => {
      const balance = this.wallets.get(userId);
      if (balance === undefined || balance < amount) return null;
      this.wallets.set(userId, balance - amount);
      return balance - amount;
    });
  }

  credit(userId: string, amount: number): Promise<number> {
    return this.faults.run('credit', () => {
      const balance = (this.wallets.get(userId) ?? 0) + amount;
      this.wallets.set(userId, balance);
      return balance;
    });
  }

  /** Ascending 24-hex ids, as ObjectIds made one after the other are. */
  newEntryId(): string {
    this.lastId += 1;
    return this.lastId.toString(16).padStart(24, '0');
  }

  append(entry: LedgerRecord): Promise<void> {
    return this.faults.run('append', () => {
      if (this.entries.some(({ id }) => id === entry.id)) throw duplicateKey(entry.id);
      this.entries.push({ ...entry });
    });
  }

  setRef(id: string, ref: string): Promise<void> {
    return this.faults.run('setRef', () => {
      const entry = this.entries.find((e) => e.id === id);
      if (entry && entry.ref === null) entry.ref = ref;
    });
  }

  hasEntryFor(userId: string, reason: LedgerReason, ref: string): Promise<boolean> {
    return this.faults.run('hasEntryFor', () =>
      this.entries.some((e) => e.userId === userId && e.reason === reason && e.ref === ref),
    );
  }

  hasEntry(id: string): Promise<boolean> {
    return this.faults.run('hasEntry', () => this.entries.some((e) => e.id === id));
  }

  page(userId: string, cursor: string | undefined, limit: number): Promise<LedgerRecord[]> {
    const rows = this.entries
      .filter((e) => e.userId === userId && (cursor === undefined || e.id < cursor))
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, limit + 1)
      .map((e) => ({ ...e }));
    return Promise.resolve(rows);
  }

  /** Test view: the wallet's balance, undefined when it was never created. */
  walletOf(userId: string): number | undefined {
    return this.wallets.get(userId);
  }

  /** Test view: the user's ledger, oldest first. */
  ledgerOf(userId: string): LedgerRecord[] {
    return this.entries.filter((e) => e.userId === userId).map((e) => ({ ...e }));
  }
}
