import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { type TimeSpan, within } from '@app/database';
import { Capsule, type CapsuleStatus, type OpenOn } from './capsule.schema';

export interface CapsuleRecord {
  id: string;
  ownerId: string;
  message: string;
  status: CapsuleStatus;
  openOn: OpenOn | null;
  deliverAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
}

type CapsuleDoc = Capsule & { _id: Types.ObjectId };

function toRecord(doc: CapsuleDoc): CapsuleRecord {
  return {
    id: doc._id.toHexString(),
    ownerId: doc.ownerId.toHexString(),
    message: doc.message,
    status: doc.status,
    openOn: doc.openOn ?? null,
    deliverAt: doc.deliverAt,
    createdAt: doc.createdAt,
    deliveredAt: doc.deliveredAt ?? null,
    claimedBy: doc.claimedBy ?? null,
    claimedAt: doc.claimedAt ?? null,
  };
}

@Injectable()
export class CapsulesRepository {
  constructor(@InjectModel(Capsule.name) private readonly capsules: Model<Capsule>) {}

  /** A fresh id, chosen before the capsule is charged so that the ledger entry can name it. */
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async insert(capsule: CapsuleRecord): Promise<void> {
    await this.capsules.create({
      ...capsule,
      _id: new Types.ObjectId(capsule.id),
      ownerId: new Types.ObjectId(capsule.ownerId),
    });
  }

  /** Deletes every capsule of the owner, sealed or opened. */
  async deleteAllOwned(ownerId: string): Promise<void> {
    await this.capsules.deleteMany({ ownerId: new Types.ObjectId(ownerId) });
  }

  async findOwned(ownerId: string, id: string): Promise<CapsuleRecord | null> {
    const doc = await this.capsules
      .findOne({ _id: new Types.ObjectId(id), ownerId: new Types.ObjectId(ownerId) })
      .lean<CapsuleDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** The owner's capsules, the soonest deliverAt first. */
  async listOwned(ownerId: string): Promise<CapsuleRecord[]> {
    const docs = await this.capsules
      .find({ ownerId: new Types.ObjectId(ownerId) })
      .sort({ deliverAt: 1, _id: 1 })
      .lean<CapsuleDoc[]>();
    return docs.map(toRecord);
  }

  /** Whether this call removed the owner's capsule while it was still sealed. */
  async deleteSealed(ownerId: string, id: string): Promise<boolean> {
    const { deletedCount } = await this.capsules.deleteOne({
      _id: new Types.ObjectId(id),
      ownerId: new Types.ObjectId(ownerId),
      status: 'sealed',
    });
    return deletedCount === 1;
  }

  /**
   * Opens the most overdue sealed capsule in one conditional update (sealed → delivered), or
   * answers null when none is due. Of any number of instances racing for one capsule, exactly one
   * update matches it: that one delivers it.
   */
  async claimDue(now: Date, instanceId: string): Promise<CapsuleRecord | null> {
    const doc = await this.capsules
      .findOneAndUpdate(
        { status: 'sealed', deliverAt: trusted({ $lte: now }) },
        { $set: { status: 'delivered', deliveredAt: now, claimedBy: instanceId, claimedAt: now } },
        { sort: { deliverAt: 1, _id: 1 }, returnDocument: 'after' },
      )
      .lean<CapsuleDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Capsules sealed (created) in the span and not cancelled since. */
  countSealedIn(span: TimeSpan): Promise<number> {
    return this.capsules.countDocuments({ createdAt: within(span) });
  }

  countDeliveredIn(span: TimeSpan): Promise<number> {
    return this.capsules.countDocuments({ deliveredAt: within(span) });
  }
}
