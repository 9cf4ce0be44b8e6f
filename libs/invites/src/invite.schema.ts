import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

@Schema({ _id: false, versionKey: false })
export class InviteUseEntry {
  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  at!: Date;
}

const InviteUseEntrySchema = SchemaFactory.createForClass(InviteUseEntry);

@Schema({ collection: 'invites', versionKey: false })
export class Invite {
  /** Normalized: upper case, no separators (see invite-code.ts). */
  @Prop({ required: true })
  code!: string;

  /** The inviting user; null for codes the system made (the bootstrap admin invite). */
  @Prop({ type: Types.ObjectId, default: null })
  createdBy!: Types.ObjectId | null;

  @Prop({ required: true, min: 1 })
  maxUses!: number;

  /** Changed only by conditional $inc updates: never above maxUses. */
  @Prop({ default: 0, min: 0 })
  uses!: number;

  @Prop({ type: [InviteUseEntrySchema], default: [] })
  usedBy!: InviteUseEntry[];

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  /** Only the bootstrap invite: its account becomes the admin. */
  @Prop({ default: false })
  grantsAdmin!: boolean;

  /**
   * The quota slot (0..INVITES_ACTIVE_MAX-1) a user's code holds while unused. Unset on revoke and
   * once expired; leaving `uses: 0` frees it too. The partial unique index below makes the quota
   * hold under parallel requests without transactions.
   */
  @Prop({ type: Number })
  slot?: number;

  /** From the injected clock, so tests can move it. */
  @Prop({ required: true })
  createdAt!: Date;
}

export const InviteSchema = SchemaFactory.createForClass(Invite);
InviteSchema.index({ code: 1 }, { unique: true });
InviteSchema.index(
  { createdBy: 1, slot: 1 },
  { unique: true, partialFilterExpression: { slot: { $exists: true }, uses: 0 } },
);
InviteSchema.index({ createdBy: 1, _id: -1 });
/** Admin statistics: invite uses in a span are range reads of this (multikey) index. */
InviteSchema.index({ 'usedBy.at': 1 });
