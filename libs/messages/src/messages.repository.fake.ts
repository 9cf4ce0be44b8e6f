import type { InsertOutcome, MessageRecord, MessagesRepository } from './messages.repository';

/**
 * MessagesRepository in memory, with its semantics: one message per author and clientMessageId
 * (the unique index), pages of limit + 1 rows, and planned failures of the next inserts. Retention
 * and the statistics counts are index and aggregation work, checked end to end, not here.
 */
export class FakeMessagesRepository implements Omit<
  MessagesRepository,
  'ensureRetention' | 'countIn' | 'countByDay'
> {
  private readonly rows = new Map<string, MessageRecord>();
  private readonly failures: Error[] = [];
  private readonly beforeInsert: (() => Promise<unknown>)[] = [];
  private lastId = 0;

  /** The next insert throws this error without storing anything. */
  failNextInsert(error: Error): void {
    this.failures.push(error);
  }

  /** Runs `action` (a parallel twin's write, say) just before the next insert. */
  onNextInsert(action: () => Promise<unknown>): void {
    this.beforeInsert.push(action);
  }

  newId(): string {
    this.lastId += 1;
    return this.lastId.toString(16).padStart(24, '0');
  }

  async insert(message: MessageRecord): Promise<InsertOutcome> {
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
    this.rows.set(message.id, { ...message });
    return 'inserted';
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

  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(id));
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
