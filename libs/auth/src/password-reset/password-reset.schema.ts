import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * The one pending password reset of a user: a new request replaces the token of the last one. The
 * token itself is never stored, only its SHA-256; using it deletes the document.
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

export const PasswordResetSchema = SchemaFactory.createForClass(PasswordReset);
PasswordResetSchema.index({ userId: 1 }, { unique: true });
PasswordResetSchema.index({ tokenHash: 1 }, { unique: true });
/** Unused tokens go a day after they expired (the expiry itself is judged by the injected clock). */
PasswordResetSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });
