import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { type Role, ROLES } from '@app/common';

@Schema({ collection: 'users', timestamps: true, versionKey: false })
export class User {
  /** Lower-cased and trimmed; unique. */
  @Prop({ required: true, unique: true })
  email!: string;

  @Prop({ required: true })
  passwordHash!: string;

  @Prop({ required: true })
  displayName!: string;

  /** searchKey(displayName): what admin searches match a display-name prefix against. */
  @Prop({ type: String, required: true })
  displayNameKey!: string;

  @Prop({ type: String, default: '' })
  bio!: string;

  /** SHA-256 (hex) of the uploaded avatar in file storage; null: the generated avatar is shown. */
  @Prop({ type: String, default: null })
  avatarHash!: string | null;

  /** YYYY-MM-DD, the calendar date rooms are derived from (no time zone involved). */
  @Prop({ required: true })
  birthDate!: string;

  /** The keys of the three rooms the birth date puts the user in (derived in room-keys.ts). */
  @Prop({ type: [String], required: true })
  rooms!: string[];

  @Prop({ type: String, enum: ROLES, default: 'user' })
  role!: Role;

  @Prop({ default: false })
  banned!: boolean;

  @Prop({ type: Types.ObjectId, default: null })
  invitedBy!: Types.ObjectId | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ role: 1 });
// Signups per day (admin statistics) are a range read of this index.
UserSchema.index({ createdAt: 1 });
// Admin search: prefix ranges on the lower-cased email (the unique index) and on this key.
UserSchema.index({ displayNameKey: 1 });
UserSchema.index({ invitedBy: 1, _id: -1 });
// Member counts and member pages of a room are reads of this index, never scans.
UserSchema.index({ rooms: 1, banned: 1, _id: 1 });
