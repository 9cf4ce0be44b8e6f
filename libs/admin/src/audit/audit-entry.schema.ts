import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { AUDIT_ACTIONS, type AuditAction } from './audit.record';

@Schema({ _id: false, versionKey: false })
export class AuditTargetDoc {
  @Prop({ required: true })
  type!: string;

  @Prop({ type: String, default: null })
  id!: string | null;
}

const AuditTargetSchema = SchemaFactory.createForClass(AuditTargetDoc);

/** Append-only: entries are written, never deleted; only an account deletion erases their details. */
@Schema({ collection: 'audit_log', versionKey: false })
export class AuditEntry {
  @Prop({ type: Types.ObjectId, required: true })
  actorId!: Types.ObjectId;

  @Prop({ type: String, enum: AUDIT_ACTIONS, required: true })
  action!: AuditAction;

  @Prop({ type: AuditTargetSchema, required: true })
  target!: AuditTargetDoc;

  @Prop({ type: Object, default: {} })
  details!: Record<string, unknown>;

  @Prop({ required: true })
  createdAt!: Date;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);
AuditEntrySchema.index({ action: 1, _id: -1 });
AuditEntrySchema.index({ 'target.type': 1, 'target.id': 1, _id: -1 });
