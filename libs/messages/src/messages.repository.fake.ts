import { messageIdOf } from './message-ids';
import type {
  InsertOutcome,
  MessageDraft,
  MessageRecord,
  MessagesRepository,
} from './messages.repository';

/**
 * MessagesRepository in memory, with its semantics: ids numbered per room, one message per author
 * and clientMessageId (the unique index), pages of limit + 1 rows, and planned failures of the next inserts. Retention
 * and the statistics counts are index and aggregation work, checked end to end, not here.
 */
export class FakeMessagesRepository implements Omit<
  MessagesRepository,
  'ensureRetention' | 'countIn' | 'countByDay'
> {
  private readonly rows = new Map<string, MessageRecord>();
  private readonly failures: Error[] = [];
  private readonly beforeInsert: (() => Promise<unknown>)[] = [];
  private readonly highest = new Map<string, number>();

  /** The next insert throws this error without storing anything. */
  failNextInsert(error: Error): void {
    this.failures.push(error);
  }

  /** Runs `action` (a parallel twin's write, say) just before the next insert. */
  onNextInsert(action: () => Promise<unknown>): void {
    this.beforeInsert.push(action);
  }

  async insertNext(message: MessageDraft): Promise<InsertOutcome> {
    await this.beforeInsert.shift()?.();
    const failure = this.failures.shift();
    if (failure) throw failure;
    const twin = [...this.rows.values()].some(
      (m) =>
        m.clientMessageId !== null &&
        m.authorId === message.authorId &&
        m.clientMessageId === message.clientMessageId,
    );
    if (twin) return 'duplicate';
    const seq = (this.highest.get(message.roomKey) ?? 0) + 1;
    this.highest.set(message.roomKey, seq);
    const id = messageIdOf(message.roomKey, seq);
    this.rows.set(id, { ...message, id });
    return { id };
  }

  recordNumber(): Promise<void> {
    // Numbers are kept in memory (highest): nothing to record.
    return Promise.resolve();
  }

  findById(id: string): Promise<MessageRecord | null> {
    return Promise.resolve(this.copy(this.rows.get(id)));
  }

  findByClientId(authorId: string, clientMessageId: string): Promise<MessageRecord | null> {
    const found = [...this.rows.values()].find(
      (m) => m.authorId === authorId && m.clientMessageId === clientMessageId,
    );
    return Promise.resolve(this.copy(found));
  }

  pageBefore(
    roomKey: string,
    since: Date,
    before: string | undefined,
    limit: number,
  ): Promise<MessageRecord[]> {
    const rows = this.inWindow(roomKey, since)
      .filter((m) => before === undefined || m.id < before)
      .reverse();
    return Promise.resolve(rows.slice(0, limit + 1));
  }

  pageAfter(roomKey: string, since: Date, after: string, limit: number): Promise<MessageRecord[]> {
    const rows = this.inWindow(roomKey, since).filter((m) => m.id > after);
    return Promise.resolve(rows.slice(0, limit + 1));
  }

  delete(message: Pick<MessageRecord, 'id'>): Promise<boolean> {
    return Promise.resolve(this.rows.delete(message.id));
  }

  byAuthor(authorId: string): Promise<MessageRecord[]> {
    return Promise.resolve(this.all().filter((m) => m.authorId === authorId));
  }

  /** Test view: every stored message, oldest first. */
  all(): MessageRecord[] {
    return [...this.rows.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private inWindow(roomKey: string, since: Date): MessageRecord[] {
    return this.all().filter((m) => m.roomKey === roomKey && m.createdAt > since);
  }

  private copy(message: MessageRecord | undefined): MessageRecord | null {
    return message ? { ...message } : null;
  }
}
