import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export const LEDGER_REASONS = [
  'signup',
  'message',
  'capsule',
  'coupon',
  'admin',
  'refund',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/** One balance per user; _id is the user's id. Changed only by conditional $inc updates. */
@Schema({ collection: 'wallets', versionKey: false })
export class Wallet {
  @Prop({ type: Types.ObjectId, required: true })
  _id!: Types.ObjectId;

  @Prop({ required: true, min: 0 })
  balance!: number;
}

export const WalletSchema = SchemaFactory.createForClass(Wallet);

/** Every balance change, append-only; the deltas of a user sum to their balance. */
@Schema({ collection: 'ledger', versionKey: false })
export class LedgerEntry {
  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  delta!: number;

  @Prop({ type: String, enum: LEDGER_REASONS, required: true })
  reason!: LedgerReason;

  @Prop({ required: true })
  balanceAfter!: number;

  @Prop({ type: String, default: null })
  ref!: string | null;

  @Prop({ required: true })
  createdAt!: Date;
}

export const LedgerEntrySchema = SchemaFactory.createForClass(LedgerEntry);
LedgerEntrySchema.index({ userId: 1, _id: -1 });
LedgerEntrySchema.index({ createdAt: 1, reason: 1 });
