import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** A message posted in a room; its _id is its number in the room (see message-ids.ts). */
@Schema({ collection: 'messages', versionKey: false })
export class Message {
  @Prop({ required: true })
  roomKey!: string;

  @Prop({ type: Types.ObjectId, required: true })
  authorId!: Types.ObjectId;

  @Prop({ required: true })
  text!: string;

  /** The author's idempotency key, or null when the post carried none. */
  @Prop({ type: String, default: null })
  clientMessageId!: string | null;

  /** From the injected clock, set explicitly (not Mongoose timestamps). */
  @Prop({ required: true })
  createdAt!: Date;

  /** createdAt + 24 h: when the message leaves the conversation. */
  @Prop({ required: true })
  expiresAt!: Date;
}

export const MessageSchema = SchemaFactory.createForClass(Message);
/** A room's conversation, keyset-paged on _id both ways. */
MessageSchema.index({ roomKey: 1, _id: -1 });
/** An author's messages (their data export). */
MessageSchema.index({ authorId: 1, _id: 1 });
/** One message per author and client key: what makes a repeated post, even a parallel one, idempotent. */
MessageSchema.index(
  { authorId: 1, clientMessageId: 1 },
  { unique: true, partialFilterExpression: { clientMessageId: { $type: 'string' } } },
);

/**
 * The retention TTL index on createdAt. Its expireAfterSeconds comes from MESSAGE_RETENTION_HOURS,
 * so it is not declared to Mongoose (which cannot change an existing index's options and would
 * refuse to start on a changed value): MessagesRepository.ensureRetention builds or rebuilds it at
 * start.
 */
export const RETENTION_INDEX = { key: { createdAt: 1 }, name: 'createdAt_retention' } as const;

/**
 * The highest message number a room ever had: what keeps numbers from being reused once the
 * room's newest messages are deleted or removed by retention. Raised after each insert and
 * before each delete.
 */
@Schema({ collection: 'message_sequences', versionKey: false })
export class MessageSequence {
  /** The room key. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  last!: number;
}

export const MessageSequenceSchema = SchemaFactory.createForClass(MessageSequence);
