import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { newSessionId } from './session-tokens';

/** How many rotated refresh-token hashes a session remembers to detect their reuse. */
export const ROTATED_HASHES_KEPT = 100;

/** A signed-in device. The refresh token itself is never stored: only its SHA-256. */
@Schema({ collection: 'sessions', versionKey: false })
export class Session {
  @Prop({ type: String, default: newSessionId })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  refreshHash!: string;

  @Prop({ type: [String], default: [] })
  rotatedHashes!: string[];

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  @Prop({ type: String, default: null })
  revokedReason!: string | null;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ required: true })
  lastUsedAt!: Date;

  @Prop({ type: String, default: null })
  userAgent!: string | null;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
SessionSchema.index({ refreshHash: 1 }, { unique: true });
SessionSchema.index({ rotatedHashes: 1 });
SessionSchema.index({ userId: 1 });
/** Admin statistics: the users active since a time are a range read of this. */
SessionSchema.index({ lastUsedAt: 1, userId: 1 });
SessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });
