import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { ROTATED_HASHES_KEPT, Session } from './session.schema';
import { isWellFormedSessionId } from './session-tokens';

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A session as its owner may see it (the export): never its refresh token hashes. */
export interface SessionListing extends SessionRecord {
  createdAt: Date;
  lastUsedAt: Date;
  revokedReason: string | null;
  userAgent: string | null;
}

type SessionDoc = Session;

function toRecord(doc: SessionDoc): SessionRecord {
  return {
    id: doc._id,
    userId: doc.userId.toHexString(),
    expiresAt: doc.expiresAt,
    revokedAt: doc.revokedAt,
  };
}

const PROJECTION = { userId: 1, expiresAt: 1, revokedAt: 1 };

@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(Session.name) private readonly sessions: Model<Session>) {}

  async create(input: {
    userId: string;
    refreshHash: string;
    expiresAt: Date;
    now: Date;
    userAgent: string | null;
  }): Promise<SessionRecord> {
    const created = await this.sessions.create({
      userId: new Types.ObjectId(input.userId),
      refreshHash: input.refreshHash,
      expiresAt: input.expiresAt,
      createdAt: input.now,
      lastUsedAt: input.now,
      userAgent: input.userAgent,
    });
    return toRecord(created.toObject<SessionDoc>());
  }

  /** Swaps the current refresh hash for a new one, atomically; null when it is not current. */
  async rotate(
    hash: string,
    next: string,
    now: Date,
    expiresAt: Date,
  ): Promise<SessionRecord | null> {
    const doc = await this.sessions
      .findOneAndUpdate(
        { refreshHash: hash, revokedAt: null, expiresAt: trusted({ $gt: now }) },
        {
          $set: { refreshHash: next, lastUsedAt: now, expiresAt },
          $push: { rotatedHashes: { $each: [hash], $slice: -ROTATED_HASHES_KEPT } },
        },
        { returnDocument: 'after', projection: PROJECTION },
      )
      .lean<SessionDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** The session whose current refresh hash this is, whatever its state. */
  async findByRefreshHash(hash: string): Promise<SessionRecord | null> {
    const doc = await this.sessions.findOne({ refreshHash: hash }, PROJECTION).lean<SessionDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findByRotatedHash(hash: string): Promise<SessionRecord | null> {
    const doc = await this.sessions.findOne({ rotatedHashes: hash }, PROJECTION).lean<SessionDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    if (!isWellFormedSessionId(id)) return null;
    const doc = await this.sessions.findById(id, PROJECTION).lean<SessionDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Deletes every session of the user (already revoked: their account is deleted). */
  async deleteAllOf(userId: string): Promise<void> {
    await this.sessions.deleteMany({ userId: new Types.ObjectId(userId) });
  }

  /** Every stored session of the user (open, revoked or expired), newest first. */
  async listOf(userId: string): Promise<SessionListing[]> {
    const docs = await this.sessions
      .find({ userId: new Types.ObjectId(userId) }, { refreshHash: 0, rotatedHashes: 0 })
      .sort({ createdAt: -1 })
      .lean<SessionDoc[]>();
    return docs.map((doc) => ({
      ...toRecord(doc),
      createdAt: doc.createdAt,
      lastUsedAt: doc.lastUsedAt,
      revokedReason: doc.revokedReason,
      userAgent: doc.userAgent,
    }));
  }

  async revoke(id: string, reason: string, now: Date): Promise<void> {
    await this.sessions.updateOne(
      { _id: id, revokedAt: null },
      { $set: { revokedAt: now, revokedReason: reason } },
    );
  }

  /** Revokes the user's sessions, all or all but one; the ids revoked. */
  async revokeAllOf(
    userId: string,
    reason: string,
    now: Date,
    exceptId?: string,
  ): Promise<string[]> {
    const filter: Record<string, unknown> = { userId: new Types.ObjectId(userId), revokedAt: null };
    if (exceptId) filter._id = trusted({ $ne: exceptId });
    const ids = (await this.sessions.find(filter, { _id: 1 }).lean<SessionDoc[]>()).map(
      (d) => d._id,
    );
    if (ids.length) {
      await this.sessions.updateMany(
        { _id: trusted({ $in: ids }), revokedAt: null },
        { $set: { revokedAt: now, revokedReason: reason } },
      );
    }
    return ids;
  }

  /** Distinct users with a session created or refreshed at `since` or later: one aggregation. */
  async countUsersActiveSince(since: Date): Promise<number> {
    const rows = await this.sessions
      .aggregate<{ users: number }>([
        { $match: { lastUsedAt: { $gte: since } } },
        { $group: { _id: '$userId' } },
        { $count: 'users' },
      ])
      .exec();
    const row = rows.at(0);
    return row?.users ?? 0;
  }
}
