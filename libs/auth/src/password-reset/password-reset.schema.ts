import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One pending password reset token of a user. A user has up to PENDING_RESETS_PER_USER of them (a
 * newer request drops the oldest beyond that), so a request made by someone else does not cancel
 * the owner's link. The token itself is never stored, only its SHA-256; using it deletes the
 * document, and a successful reset or a password change deletes all of the user's.
 */
@Schema({ collection: 'password_resets', versionKey: false })
export class PasswordReset {
  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  tokenHash!: string;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ required: true })
  createdAt!: Date;
}

/** The index of the time when a user had one token (unique userId): dropped at start if present. */
export const LEGACY_USER_INDEX = 'userId_1';

export const PasswordResetSchema = SchemaFactory.createForClass(PasswordReset);
/** A user's tokens, newest first (pruning beyond the limit) and all of them (deleting on reset). */
PasswordResetSchema.index({ userId: 1, createdAt: -1, _id: -1 });
PasswordResetSchema.index({ tokenHash: 1 }, { unique: true });
/** Unused tokens go a day after they expired (the expiry itself is judged by the injected clock). */
PasswordResetSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });
