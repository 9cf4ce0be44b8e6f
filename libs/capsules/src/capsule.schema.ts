import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export const CAPSULE_STATUSES = ['sealed', 'delivered'] as const;
export type CapsuleStatus = (typeof CAPSULE_STATUSES)[number];

export const OPEN_ON_VALUES = ['next-birthday'] as const;
export type OpenOn = (typeof OPEN_ON_VALUES)[number];

/** A time capsule; its _id is chosen by the service before it is charged. */
@Schema({ collection: 'capsules', versionKey: false })
export class Capsule {
  @Prop({ type: Types.ObjectId, required: true })
  ownerId!: Types.ObjectId;

  @Prop({ required: true })
  message!: string;

  @Prop({ type: String, enum: CAPSULE_STATUSES, required: true })
  status!: CapsuleStatus;

  /** How deliverAt was chosen: null for an explicit time. */
  @Prop({ type: String, enum: [...OPEN_ON_VALUES, null], default: null })
  openOn!: OpenOn | null;

  @Prop({ required: true })
  deliverAt!: Date;

  /** From the injected clock, set explicitly (not Mongoose timestamps). */
  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  deliveredAt!: Date | null;

  /** The scheduler instance whose claim delivered it, and when (for operations). */
  @Prop({ type: String, default: null })
  claimedBy!: string | null;

  @Prop({ type: Date, default: null })
  claimedAt!: Date | null;
}

export const CapsuleSchema = SchemaFactory.createForClass(Capsule);
/** The scheduler's claim: the oldest sealed capsule that is due. */
CapsuleSchema.index({ status: 1, deliverAt: 1 });
/** An owner's capsules in deliverAt order. */
CapsuleSchema.index({ ownerId: 1, deliverAt: 1 });
/** Admin statistics: capsules sealed and delivered in a span are range reads of these. */
CapsuleSchema.index({ createdAt: 1 });
CapsuleSchema.index({ deliveredAt: 1 });
