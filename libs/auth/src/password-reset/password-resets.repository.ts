import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { LEGACY_USER_INDEX, PasswordReset } from './password-reset.schema';

/** How many pending tokens a user keeps: a newer request drops the oldest beyond these. */
export const PENDING_RESETS_PER_USER = 3;

const IndexNotFound = 27;

@Injectable()
export class PasswordResetsRepository implements OnApplicationBootstrap {
  constructor(@InjectModel(PasswordReset.name) private readonly resets: Model<PasswordReset>) {}

  /**
   * A database from the time when a user had one token holds a unique index on userId that would
   * refuse a second token: it goes before the first request (the schema's indexes replace it).
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.resets.init();
    const indexes = (await this.resets.collection.listIndexes().toArray()) as { name: string }[];
    if (!indexes.some((index) => index.name === LEGACY_USER_INDEX)) return;
    await this.resets.collection.dropIndex(LEGACY_USER_INDEX).catch((error: unknown) => {
      // Another instance starting at the same time dropped it first.
      if ((error as { code?: unknown }).code !== IndexNotFound) throw error;
    });
  }

  /**
   * Adds a pending token for the user, then drops their oldest beyond PENDING_RESETS_PER_USER
   * (oldest by creation time, then insertion order). Parallel adds for one user never drop too
   * many: each prune drops only what is beyond the newest it sees, and the last one sees them all.
   */
  async add(userId: string, tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
    const user = new Types.ObjectId(userId);
    await this.resets.create({ userId: user, tokenHash, expiresAt, createdAt: now });
    const older = await this.resets
      .find({ userId: user }, { _id: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .skip(PENDING_RESETS_PER_USER)
      .lean<{ _id: Types.ObjectId }[]>();
    if (older.length === 0) return;
    await this.resets.deleteMany({ _id: trusted({ $in: older.map((doc) => doc._id) }) });
  }

  /** Drops every pending token of the user (a reset succeeded, or the password changed). */
  async deleteFor(userId: string): Promise<void> {
    await this.resets.deleteMany({ userId: new Types.ObjectId(userId) });
  }

  /**
   * Takes the unexpired reset with this token hash in one atomic delete: of parallel uses of one
   * token, exactly one gets the user id, the others null.
   */
  async consume(tokenHash: string, now: Date): Promise<string | null> {
    const doc = await this.resets
      .findOneAndDelete(
        { tokenHash, expiresAt: trusted({ $gt: now }) },
        { projection: { userId: 1 } },
      )
      .lean<{ userId: Types.ObjectId }>();
    return doc ? doc.userId.toHexString() : null;
  }
}
