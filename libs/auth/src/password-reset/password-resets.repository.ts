import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { duplicateKeyFields } from '@app/database';
import { PasswordReset } from './password-reset.schema';

@Injectable()
export class PasswordResetsRepository {
  constructor(@InjectModel(PasswordReset.name) private readonly resets: Model<PasswordReset>) {}

  /**
   * Makes this token the user's only pending one (an older token stops working). Two parallel
   * upserts of one user can collide on the unique userId: the loser retries as a plain update.
   */
  async replaceFor(userId: string, tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
    const filter = { userId: new Types.ObjectId(userId) };
    const update = { $set: { tokenHash, expiresAt, createdAt: now } };
    try {
      await this.resets.updateOne(filter, update, { upsert: true });
    } catch (error) {
      if (!duplicateKeyFields(error)?.includes('userId')) throw error;
      await this.resets.updateOne(filter, update);
    }
  }

  /** Drops the user's pending reset, if any (their password changed another way). */
  async deleteFor(userId: string): Promise<void> {
    await this.resets.deleteOne({ userId: new Types.ObjectId(userId) });
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
