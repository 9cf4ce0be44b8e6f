import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { KeyedQueue } from '@app/common';
import {
  type DayTotal,
  duplicateKeyFields,
  newestFirst,
  type TimeSpan,
  totalsByUtcDay,
  within,
} from '@app/database';
import { messageIdOf, messageSeqIn } from './message-ids';
import { Message, MessageSequence, RETENTION_INDEX } from './message.schema';

export interface MessageRecord {
  id: string;
  roomKey: string;
  authorId: string;
  text: string;
  clientMessageId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** A message before it is stored: its id is its number in the room, drawn by the insert. */
export type MessageDraft = Omit<MessageRecord, 'id'>;

/** The stored message's id, or `duplicate` when the author already has one with this clientMessageId. */
export type InsertOutcome = { id: string } | 'duplicate';

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

/** How many taken numbers one insert skips before it gives up (other instances posting). */
const MAX_NUMBER_ATTEMPTS = 50;

const IndexNotFound = 27;

interface IndexInfo {
  name: string;
  expireAfterSeconds?: number;
}

@Injectable()
export class MessagesRepository {
  private readonly logger = new Logger(MessagesRepository.name);
  /** Per room, the highest number this instance stored or saw: the next insert's first guess. */
  private readonly lastNumbers = new Map<string, number>();
  /** One insert at a time per room on this instance, so that its own posts never collide. */
  private readonly inserts = new KeyedQueue();

  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    @InjectModel(MessageSequence.name) private readonly sequences: Model<MessageSequence>,
  ) {}

  /**
   * Stores the message as its room's next one; any failure but the author's clientMessageId
   * collision is thrown. The number is the highest one stored (or ever stored, for deleted and
   * expired ones) plus one, and the unique _id makes a number taken by another instance meanwhile
   * a retry with the next. So a message is stored only after every lower number of its room was
   * visible, and a reader paging `after` an id can never see a higher id before a lower one
   * appears: what a reconnecting client fetches after the last message it saw is exactly what it
   * missed, on any number of instances.
   */
  async insertNext(draft: MessageDraft): Promise<InsertOutcome> {
    const { roomKey } = draft;
    const outcome = await this.inserts.run(roomKey, async () => {
      let seq = (this.lastNumbers.get(roomKey) ?? (await this.highestNumber(roomKey))) + 1;
      for (let attempt = 1; ; attempt++) {
        const id = messageIdOf(roomKey, seq);
        try {
          await this.messages.create({
            ...draft,
            _id: new Types.ObjectId(id),
            authorId: new Types.ObjectId(draft.authorId),
          });
          this.lastNumbers.set(roomKey, seq);
          return { id, seq };
        } catch (error) {
          const fields = duplicateKeyFields(error);
          if (fields?.includes('clientMessageId')) return 'duplicate';
          if (!fields?.includes('_id') || attempt === MAX_NUMBER_ATTEMPTS) throw error;
          seq = Math.max(seq, await this.highestNumber(roomKey)) + 1;
        }
      }
    });
    return outcome === 'duplicate' ? outcome : { id: outcome.id };
  }

  /**
   * Records that the room had this message, so that its number is never reused once the room's
   * newest messages are removed by retention. Called after each insert (after the broadcast: it
   * changes nothing anyone sees), within the request, so that a shutdown waits for it. A failure
   * is only logged: the room's next insert records a higher number anyway.
   */
  async recordNumber(message: Pick<MessageRecord, 'id' | 'roomKey'>): Promise<void> {
    const seq = messageSeqIn(message.id, message.roomKey);
    if (seq === null) return;
    await this.raiseHighest(message.roomKey, seq).catch((error: unknown) => {
      this.logger.warn(
        { roomKey: message.roomKey, seq, error: String(error) },
        'A room’s highest message number was not recorded',
      );
    });
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

  /** Every stored message of the author, oldest first, in any room and window. */
  async byAuthor(authorId: string): Promise<MessageRecord[]> {
    const docs = await this.messages
      .find({ authorId: new Types.ObjectId(authorId) })
      .sort({ authorId: 1, _id: 1 })
      .lean<MessageDoc[]>();
    return docs.map(toRecord);
  }

  /**
   * Whether this call deleted the message (false when it was already gone). The room's highest
   * number is raised first, so that deleting its newest message never frees the number.
   */
  async delete(message: Pick<MessageRecord, 'id' | 'roomKey'>): Promise<boolean> {
    const seq = messageSeqIn(message.id, message.roomKey);
    if (seq !== null) await this.raiseHighest(message.roomKey, seq);
    const { deletedCount } = await this.messages.deleteOne({ _id: message.id });
    return deletedCount === 1;
  }

  /** The room's highest message number: of its stored messages, or ever (deleted, expired). */
  private async highestNumber(roomKey: string): Promise<number> {
    const ids = {
      $gte: messageIdOf(roomKey, 0),
      $lte: messageIdOf(roomKey, Number.MAX_SAFE_INTEGER),
    };
    const [newest, sequence] = await Promise.all([
      this.messages
        .findOne({ _id: trusted(ids) }, { _id: 1 })
        .sort({ _id: -1 })
        .lean<{ _id: Types.ObjectId }>(),
      this.sequences.findById(roomKey).lean<MessageSequence>(),
    ]);
    const stored = newest ? (messageSeqIn(newest._id.toHexString(), roomKey) ?? 0) : 0;
    return Math.max(stored, sequence?.last ?? 0);
  }

  /** Records that the room had message number `seq`. */
  private async raiseHighest(roomKey: string, seq: number): Promise<void> {
    const raise = () =>
      this.sequences.updateOne({ _id: roomKey }, { $max: { last: seq } }, { upsert: true });
    // Two first upserts of a room can collide on _id; the second then finds the document.
    await raise().catch((error: unknown) => {
      if (duplicateKeyFields(error) === null) throw error;
      return raise();
    });
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
