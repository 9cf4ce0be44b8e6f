import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { duplicateKeyFields, newestFirst, type TimeSpan, within } from '@app/database';
import type { InviteRecord, NewInvite } from './invite.record';
import { Invite } from './invite.schema';

type InviteDoc = Invite & { _id: Types.ObjectId };

/** Why an insert did not happen: the code exists already, or the quota slot is held. */
export type InsertConflict = 'code-taken' | 'slot-taken';

/** Still has a use left: uses < maxUses. */
const HAS_USE_LEFT = { $expr: trusted({ $lt: ['$uses', '$maxUses'] }) };

function toRecord(doc: InviteDoc): InviteRecord {
  return {
    id: doc._id.toHexString(),
    code: doc.code,
    createdBy: doc.createdBy?.toHexString() ?? null,
    maxUses: doc.maxUses,
    uses: doc.uses,
    usedBy: doc.usedBy.map((use) => ({ userId: use.userId.toHexString(), at: use.at })),
    expiresAt: doc.expiresAt,
    revokedAt: doc.revokedAt,
    grantsAdmin: doc.grantsAdmin,
    createdAt: doc.createdAt,
  };
}

function objectIdOrNull(id: string | null): Types.ObjectId | null {
  return id === null ? null : new Types.ObjectId(id);
}

@Injectable()
export class InvitesRepository {
  constructor(@InjectModel(Invite.name) private readonly invites: Model<Invite>) {}

  /** Resolves once the collection and its indexes exist: the quota relies on the slot index. */
  async ready(): Promise<void> {
    await this.invites.init();
  }

  async insert(invite: NewInvite): Promise<InviteRecord | InsertConflict> {
    try {
      const created = await this.invites.create({
        ...invite,
        createdBy: objectIdOrNull(invite.createdBy),
      });
      return toRecord(created.toObject<InviteDoc>());
    } catch (error) {
      const fields = duplicateKeyFields(error);
      if (fields === null) throw error;
      return fields.includes('slot') ? 'slot-taken' : 'code-taken';
    }
  }

  /** Slots held by the user's unused codes (expired ones included until released). */
  async heldSlots(createdBy: string | null): Promise<number[]> {
    const docs = await this.invites
      .find(
        { createdBy: objectIdOrNull(createdBy), slot: trusted({ $exists: true }), uses: 0 },
        { slot: 1 },
      )
      .lean<{ slot: number }[]>();
    return docs.map((doc) => doc.slot);
  }

  /** Frees the slots of the user's codes that expired unused. */
  async releaseExpiredSlots(createdBy: string | null, now: Date): Promise<void> {
    await this.invites.updateMany(
      {
        createdBy: objectIdOrNull(createdBy),
        slot: trusted({ $exists: true }),
        expiresAt: trusted({ $lte: now }),
      },
      { $unset: { slot: 1 } },
    );
  }

  /** Takes one use of a valid code in a single conditional update; null when none is left. */
  async takeUse(code: string, now: Date): Promise<InviteRecord | null> {
    const doc = await this.invites
      .findOneAndUpdate(
        { code, revokedAt: null, expiresAt: trusted({ $gt: now }), ...HAS_USE_LEFT },
        { $inc: { uses: 1 } },
        { returnDocument: 'after' },
      )
      .lean<InviteDoc>();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Gives a use back. Back at `uses: 0` a user's code takes its quota slot again; if the user
   * filled that slot meanwhile, the code comes back without a slot rather than stay lost.
   */
  async giveUseBack(id: string): Promise<void> {
    const filter = { _id: id, uses: trusted({ $gt: 0 }) };
    try {
      await this.invites.updateOne(filter, { $inc: { uses: -1 } });
    } catch (error) {
      if (duplicateKeyFields(error) === null) throw error;
      await this.invites.updateOne(filter, { $inc: { uses: -1 }, $unset: { slot: 1 } });
    }
  }

  async addUse(id: string, userId: string, at: Date): Promise<void> {
    await this.invites.updateOne(
      { _id: id },
      { $push: { usedBy: { userId: new Types.ObjectId(userId), at } } },
    );
  }

  /** Revokes the creator's code if it is neither revoked nor used up; null otherwise. */
  async revoke(code: string, createdBy: string, now: Date): Promise<InviteRecord | null> {
    const doc = await this.invites
      .findOneAndUpdate(
        { code, createdBy: new Types.ObjectId(createdBy), revokedAt: null, ...HAS_USE_LEFT },
        { $set: { revokedAt: now }, $unset: { slot: 1 } },
        { returnDocument: 'after' },
      )
      .lean<InviteDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Revokes every code of the creator with a use left (their account is deleted). */
  async revokeAllOf(createdBy: string, now: Date): Promise<void> {
    await this.invites.updateMany(
      { createdBy: new Types.ObjectId(createdBy), revokedAt: null, ...HAS_USE_LEFT },
      { $set: { revokedAt: now }, $unset: { slot: 1 } },
    );
  }

  async findByCode(code: string): Promise<InviteRecord | null> {
    const doc = await this.invites.findOne({ code }).lean<InviteDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** The creator's codes, newest first, after the cursor when one is given; limit + 1 rows. */
  async page(
    createdBy: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<InviteRecord[]> {
    const filter = { createdBy: new Types.ObjectId(createdBy) };
    const docs = await newestFirst(this.invites, filter, cursor, limit).lean<InviteDoc[]>();
    return docs.map(toRecord);
  }

  /** The newest bootstrap invite that can still be used, if any. */
  async findUsableBootstrap(now: Date): Promise<InviteRecord | null> {
    const doc = await this.invites
      .findOne({
        createdBy: null,
        grantsAdmin: true,
        revokedAt: null,
        expiresAt: trusted({ $gt: now }),
        ...HAS_USE_LEFT,
      })
      .sort({ _id: -1 })
      .lean<InviteDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Once an admin exists, unused bootstrap invites must not make another one. */
  async revokeUnusedBootstrap(now: Date): Promise<void> {
    await this.invites.updateMany(
      { createdBy: null, grantsAdmin: true, revokedAt: null, uses: 0 },
      { $set: { revokedAt: now }, $unset: { slot: 1 } },
    );
  }

  /** Uses (signups) recorded in the span, over every invite: one aggregation. */
  async countUsesIn(span: TimeSpan): Promise<number> {
    const inSpan = { 'usedBy.at': within(span) };
    const rows = await this.invites
      .aggregate<{ uses: number }>([
        { $match: inSpan },
        { $unwind: '$usedBy' },
        { $match: inSpan },
        { $count: 'uses' },
      ])
      .exec();
    const row = rows.at(0);
    return row?.uses ?? 0;
  }
}
