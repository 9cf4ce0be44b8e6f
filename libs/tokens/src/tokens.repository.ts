import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { type DayTotal, newestFirst, type TimeSpan, totalsByUtcDay, within } from '@app/database';
import {
  type LedgerEntry as LedgerEntryDoc,
  LedgerEntry,
  type LedgerReason,
  Wallet,
} from './token-schemas';

export interface LedgerRecord {
  id: string;
  userId: string;
  delta: number;
  reason: LedgerReason;
  balanceAfter: number;
  ref: string | null;
  createdAt: Date;
}

type EntryDoc = LedgerEntryDoc & { _id: Types.ObjectId };

/** Tokens that entered wallets (positive deltas) and left them (negative deltas, as a positive sum). */
export interface LedgerTotals {
  granted: number;
  spent: number;
}

function toRecord(doc: EntryDoc): LedgerRecord {
  return {
    id: doc._id.toHexString(),
    userId: doc.userId.toHexString(),
    delta: doc.delta,
    reason: doc.reason,
    balanceAfter: doc.balanceAfter,
    ref: doc.ref,
    createdAt: doc.createdAt,
  };
}

@Injectable()
export class TokensRepository {
  constructor(
    @InjectModel(Wallet.name) private readonly wallets: Model<Wallet>,
    @InjectModel(LedgerEntry.name) private readonly ledger: Model<LedgerEntry>,
  ) {}

  async balance(userId: string): Promise<number> {
    const wallet = await this.wallets.findById(userId, { balance: 1 }).lean();
    return wallet?.balance ?? 0;
  }

  /** Takes amount only if the balance covers it: the new balance, or null when it does not. */
  async debitIfCovered(userId: string, amount: number): Promise<number | null> {
    const wallet = await this.wallets
      .findOneAndUpdate(
        { _id: userId, balance: trusted({ $gte: amount }) },
        { $inc: { balance: -amount } },
        { returnDocument: 'after', projection: { balance: 1 } },
      )
      .lean();
    return wallet?.balance ?? null;
  }

  /** Adds amount (negative to undo a debit), creating the wallet if needed: the new balance. */
  async credit(userId: string, amount: number): Promise<number> {
    const wallet = await this.wallets
      .findOneAndUpdate(
        { _id: userId },
        { $inc: { balance: amount } },
        { returnDocument: 'after', upsert: true, projection: { balance: 1 } },
      )
      .lean();
    return wallet?.balance ?? 0;
  }

  /** A fresh id, chosen before the write so that a write of unknown outcome can be looked up. */
  newEntryId(): string {
    return new Types.ObjectId().toHexString();
  }

  async append(entry: LedgerRecord): Promise<void> {
    await this.ledger.create({
      ...entry,
      _id: new Types.ObjectId(entry.id),
      userId: new Types.ObjectId(entry.userId),
    });
  }

  /** Sets the ref of an entry written without one (its purchase was stored after the charge). */
  async setRef(id: string, ref: string): Promise<void> {
    await this.ledger.updateOne({ _id: id, ref: null }, { $set: { ref } });
  }

  /** Removes the user's wallet (their account is deleted); the ledger entries stay. */
  async deleteWallet(userId: string): Promise<void> {
    await this.wallets.deleteOne({ _id: userId });
  }

  async hasEntryFor(userId: string, reason: LedgerReason, ref: string): Promise<boolean> {
    return (await this.ledger.exists({ userId: new Types.ObjectId(userId), reason, ref })) !== null;
  }

  async hasEntry(id: string): Promise<boolean> {
    return (await this.ledger.exists({ _id: id })) !== null;
  }

  /** Newest first, after the cursor entry when one is given; limit + 1 rows for paging. */
  async page(userId: string, cursor: string | undefined, limit: number): Promise<LedgerRecord[]> {
    const filter = { userId: new Types.ObjectId(userId) };
    const docs = await newestFirst(this.ledger, filter, cursor, limit).lean<EntryDoc[]>();
    return docs.map(toRecord);
  }

  /** The span's ledger entries summed by sign, in one aggregation on the createdAt index. */
  async totals(span: TimeSpan): Promise<LedgerTotals> {
    const rows = await this.ledger
      .aggregate<LedgerTotals>([
        { $match: { createdAt: within(span) } },
        {
          $group: {
            _id: null,
            granted: { $sum: { $cond: [{ $gt: ['$delta', 0] }, '$delta', 0] } },
            spent: { $sum: { $cond: [{ $lt: ['$delta', 0] }, { $subtract: [0, '$delta'] }, 0] } },
          },
        },
      ])
      .exec();
    const row = rows.at(0);
    return { granted: row?.granted ?? 0, spent: row?.spent ?? 0 };
  }

  /** Tokens spent (negative deltas, as positive sums) per UTC day of the span. */
  spentByDay(span: TimeSpan): Promise<DayTotal[]> {
    return totalsByUtcDay(this.ledger, 'createdAt', span, {
      filter: { delta: trusted({ $lt: 0 }) },
      amount: { $subtract: [0, '$delta'] },
    });
  }
}
