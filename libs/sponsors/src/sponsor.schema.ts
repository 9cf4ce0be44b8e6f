import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { ROOM_KINDS, type RoomKind } from '@app/users';

/** An advertisement shown in rooms; a delete is soft so that its impressions keep their meaning. */
@Schema({ collection: 'sponsors', versionKey: false })
export class Sponsor {
  @Prop({ required: true })
  name!: string;

  @Prop({ required: true })
  text!: string;

  @Prop({ type: String, default: null })
  imageUrl!: string | null;

  @Prop({ required: true })
  linkUrl!: string;

  @Prop({ required: true })
  startsAt!: Date;

  @Prop({ required: true })
  endsAt!: Date;

  @Prop({ required: true, default: true })
  active!: boolean;

  @Prop({ required: true, min: 1 })
  weight!: number;

  @Prop({ required: true, min: 1 })
  displaySeconds!: number;

  /** Empty together with roomKeys: every room. */
  @Prop({ type: [String], enum: ROOM_KINDS, default: [] })
  roomKinds!: RoomKind[];

  @Prop({ type: [String], default: [] })
  roomKeys!: string[];

  @Prop({ type: Date, default: null })
  deletedAt!: Date | null;

  @Prop({ type: Types.ObjectId, default: null })
  createdBy!: Types.ObjectId | null;

  @Prop({ required: true })
  createdAt!: Date;
}

export const SponsorSchema = SchemaFactory.createForClass(Sponsor);
SponsorSchema.index({ deletedAt: 1, _id: -1 });
SponsorSchema.index({ deletedAt: 1, active: 1, endsAt: 1 });

/** One showing of a sponsor; the unique index allows one per (session, room), races included. */
@Schema({ collection: 'sponsor_impressions', versionKey: false })
export class SponsorImpression {
  @Prop({ type: Types.ObjectId, required: true })
  sponsorId!: Types.ObjectId;

  @Prop({ required: true })
  roomKey!: string;

  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  sessionId!: string;

  @Prop({ required: true })
  shownAt!: Date;

  /** Set by the one click this impression may count. */
  @Prop({ type: Date, default: null })
  clickedAt!: Date | null;
}

export const SponsorImpressionSchema = SchemaFactory.createForClass(SponsorImpression);
SponsorImpressionSchema.index({ sessionId: 1, roomKey: 1 }, { unique: true });
/** A user's impressions (their data export). */
SponsorImpressionSchema.index({ userId: 1, _id: 1 });
SponsorImpressionSchema.index({ sponsorId: 1, sessionId: 1 });
SponsorImpressionSchema.index({ sponsorId: 1, shownAt: 1 });
/** Admin statistics: impressions shown and clicked in a span, over every sponsor. */
SponsorImpressionSchema.index({ shownAt: 1 });
SponsorImpressionSchema.index({ clickedAt: 1 });
