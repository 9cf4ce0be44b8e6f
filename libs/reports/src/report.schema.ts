import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import {
  REPORT_ACTIONS,
  REPORT_OUTCOMES,
  REPORT_STATUSES,
  type ReportAction,
  type ReportOutcome,
  type ReportStatus,
} from './report.record';

@Schema({ _id: false, versionKey: false })
export class ReportAuthorDoc {
  @Prop({ required: true })
  id!: string;

  @Prop({ required: true })
  displayName!: string;

  @Prop({ type: String, default: null })
  avatarUrl!: string | null;

  @Prop({ type: String, default: '' })
  bio!: string;
}

@Schema({ _id: false, versionKey: false })
export class ReportEvidenceDoc {
  @Prop({ required: true })
  text!: string;

  @Prop({ type: Types.ObjectId, required: true })
  authorId!: Types.ObjectId;

  @Prop({ type: SchemaFactory.createForClass(ReportAuthorDoc), required: true })
  author!: ReportAuthorDoc;

  @Prop({ required: true })
  roomKey!: string;

  @Prop({ required: true })
  messageCreatedAt!: Date;
}

@Schema({ _id: false, versionKey: false })
export class ReportResolutionDoc {
  @Prop({ type: String, enum: REPORT_ACTIONS, required: true })
  action!: ReportAction;

  @Prop({ type: String, enum: REPORT_OUTCOMES, required: true })
  outcome!: ReportOutcome;

  @Prop({ type: String, default: null })
  note!: string | null;

  @Prop({ type: Types.ObjectId, required: true })
  resolvedBy!: Types.ObjectId;

  @Prop({ required: true })
  resolvedAt!: Date;
}

/** A member's report of a message, with a copy of it: no TTL, it outlives the message. */
@Schema({ collection: 'reports', versionKey: false })
export class Report {
  @Prop({ type: Types.ObjectId, required: true })
  messageId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  reporterId!: Types.ObjectId;

  @Prop({ required: true })
  reason!: string;

  @Prop({ type: SchemaFactory.createForClass(ReportEvidenceDoc), required: true })
  evidence!: ReportEvidenceDoc;

  @Prop({ type: String, enum: REPORT_STATUSES, required: true })
  status!: ReportStatus;

  @Prop({ type: SchemaFactory.createForClass(ReportResolutionDoc), default: null })
  resolution!: ReportResolutionDoc | null;

  @Prop({ required: true })
  createdAt!: Date;
}

export const ReportSchema = SchemaFactory.createForClass(Report);
/** Once per user and message: what makes parallel duplicates store one report. */
ReportSchema.index({ messageId: 1, reporterId: 1 }, { unique: true });
/** The admin queue by status, newest first. */
ReportSchema.index({ status: 1, _id: -1 });
/** The reports a user filed (their data export). */
ReportSchema.index({ reporterId: 1, _id: 1 });
