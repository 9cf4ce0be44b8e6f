import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import {
  type DayTotal,
  duplicateKeyFields,
  newestFirst,
  type TimeSpan,
  totalsByUtcDay,
  within,
} from '@app/database';
import { Message, RETENTION_INDEX } from './message.schema';

export interface MessageRecord {
  id: string;
  roomKey: string;
  authorId: string;
  text: string;
  clientMessageId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** inserted, or `duplicate` when the author already has a message with this clientMessageId. */
export type InsertOutcome = 'inserted' | 'duplicate';

type MessageDoc = Message & { _id: Types.ObjectId };

function toRecord(doc: MessageDoc): MessageRecord {
  return {
    id: doc._id.toHexString(),
    roomKey: doc.roomKey,
    authorId: doc.authorId.toHexString(),
    text: doc.text,
    clientMessageId: doc.clientMessageId,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  };
}

function isClientIdCollision(error: unknown): boolean {
  const fields = duplicateKeyFields(error);
  return fields !== null && fields.includes('clientMessageId');
}

const IndexNotFound = 27;

interface IndexInfo {
  name: string;
  expireAfterSeconds?: number;
}

@Injectable()
export class MessagesRepository {
  constructor(@InjectModel(Message.name) private readonly messages: Model<Message>) {}

  /** A fresh id, chosen before the post is charged so that the ledger entry can name it. */
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  /** Stores the message; any failure but the author's clientMessageId collision is thrown. */
  async insert(message: MessageRecord): Promise<InsertOutcome> {
    try {
      await this.messages.create({
        ...message,
        _id: new Types.ObjectId(message.id),
        authorId: new Types.ObjectId(message.authorId),
      });
      return 'inserted';
    } catch (error) {
      if (isClientIdCollision(error)) return 'duplicate';
      throw error;
    }
  }

  async findById(id: string): Promise<MessageRecord | null> {
    const doc = await this.messages.findById(id).lean<MessageDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findByClientId(authorId: string, clientMessageId: string): Promise<MessageRecord | null> {
    const doc = await this.messages
      .findOne({ authorId: new Types.ObjectId(authorId), clientMessageId })
      .lean<MessageDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** The room's messages created after `since`, newest first, older than `before` if given. */
  async pageBefore(
    roomKey: string,
    since: Date,
    before: string | undefined,
    limit: number,
  ): Promise<MessageRecord[]> {
    const filter = { roomKey, createdAt: trusted({ $gt: since }) };
    const docs = await newestFirst(this.messages, filter, before, limit).lean<MessageDoc[]>();
    return docs.map(toRecord);
  }

  /** The room's messages created after `since` and newer than `after`, oldest first. */
  async pageAfter(
    roomKey: string,
    since: Date,
    after: string,
    limit: number,
  ): Promise<MessageRecord[]> {
    const docs = await this.messages
      .find({
        roomKey,
        createdAt: trusted({ $gt: since }),
        _id: trusted({ $gt: new Types.ObjectId(after) }),
      })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<MessageDoc[]>();
    return docs.map(toRecord);
  }

  /** Whether this call deleted the message (false when it was already gone). */
  async delete(id: string): Promise<boolean> {
    const { deletedCount } = await this.messages.deleteOne({ _id: id });
    return deletedCount === 1;
  }

  /** Stored messages created in the span: a count on the retention index (createdAt). */
  countIn(span: TimeSpan): Promise<number> {
    return this.messages.countDocuments({ createdAt: within(span) });
  }

  /** Stored messages per UTC day of the span, by one aggregation on the retention index. */
  countByDay(span: TimeSpan): Promise<DayTotal[]> {
    return totalsByUtcDay(this.messages, 'createdAt', span);
  }

  /**
   * Makes the retention TTL index expire messages `seconds` after createdAt: created when missing,
   * rebuilt (dropped and created, which every MongoDB-compatible store supports) when it holds
   * another value. Messages keep their 24-hour window in the meantime; only the clean-up pauses.
   */
  async ensureRetention(seconds: number): Promise<void> {
    await this.messages.init();
    const indexes = (await this.messages.collection.listIndexes().toArray()) as IndexInfo[];
    const current = indexes.find((index) => index.name === RETENTION_INDEX.name);
    if (current && current.expireAfterSeconds === seconds) return;
    if (current) {
      await this.messages.collection.dropIndex(RETENTION_INDEX.name).catch((error: unknown) => {
        // Another instance starting at the same time dropped it first.
        if ((error as { code?: unknown }).code !== IndexNotFound) throw error;
      });
    }
    await this.messages.collection.createIndexes([
      { key: RETENTION_INDEX.key, name: RETENTION_INDEX.name, expireAfterSeconds: seconds },
    ]);
  }
}
