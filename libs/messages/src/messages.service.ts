import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  AppConfig,
  type AuthUser,
  Clock,
  DEFAULT_PAGE_SIZE,
  DomainError,
  type Page,
  toPage,
} from '@app/common';
import type { DayTotal, TimeSpan } from '@app/database';
import { RateLimiter } from '@app/rate-limit';
import { RoomsService } from '@app/rooms';
import { type Charge, TokensService } from '@app/tokens';
import { deletedUserView, toUserPublic, type UserPublicDto, UsersService } from '@app/users';
import { type MessageDto, toMessageDto } from './dto/message.dto';
import { checkMessageInput, CONVERSATION_WINDOW_MS, type MessageInput } from './message-rules';
import {
  MESSAGE_CREATED,
  MESSAGE_DELETED,
  type MessageCreated,
  type MessageDeleted,
} from './messages.events';
import { MESSAGE_POST } from './messages.rate-limits';
import { type MessageDraft, type MessageRecord, MessagesRepository } from './messages.repository';

export interface PostedMessage {
  message: MessageDto;
  /** False when the post repeated an earlier clientMessageId: nothing was stored or charged. */
  created: boolean;
}

export interface MessageListQuery {
  before?: string;
  after?: string;
  limit?: number;
}

/**
 * Messages, however they travel: the REST controller and the socket gateway both post, list and
 * delete through this service, so the rules (membership, text, idempotency, rate, price, window)
 * hold the same way for both.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Posts in a room the user belongs to. In order: membership (404/403), the text (400), a
   * repeated clientMessageId (the first message, free), the rate limit (429), the price (402),
   * then the write, which draws the message's id (its number in the room); a write that fails
   * after the charge gives the tokens back.
   */
  async post(userId: string, roomKey: string, input: MessageInput): Promise<PostedMessage> {
    const room = await this.rooms.requireMember(userId, roomKey);
    const { text, clientMessageId } = checkMessageInput(input);
    const earlier = await this.earlierPost(userId, clientMessageId);
    if (earlier) return this.repeated(earlier);

    const cost = this.config.get('MESSAGE_COST');
    let charge: Charge | null = null;
    try {
      await this.limiter.consume(MESSAGE_POST, userId);
      if (cost > 0) charge = await this.tokens.charge(userId, cost, 'message');
    } catch (refusal) {
      // A twin of this post (same key) that landed meanwhile answers instead of the refusal.
      const twin = await this.earlierPost(userId, clientMessageId);
      if (twin) return this.repeated(twin);
      throw refusal;
    }

    const createdAt = this.clock.now();
    const draft: MessageDraft = {
      roomKey: room.key,
      authorId: userId,
      text,
      clientMessageId,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + CONVERSATION_WINDOW_MS),
    };
    const outcome = await this.messages.insertNext(draft).catch(async (error: unknown) => {
      if (charge) await this.tokens.refund(charge);
      throw error;
    });
    if (outcome === 'duplicate') {
      // A parallel twin won the unique index: this post was charged for nothing.
      if (charge) await this.tokens.refund(charge);
      const twin = await this.earlierPost(userId, clientMessageId);
      if (!twin) throw DomainError.conflict('This message was deleted while it was posted again');
      return this.repeated(twin);
    }
    const message: MessageRecord = { ...draft, id: outcome.id };
    const dto = toMessageDto(message, toUserPublic(room.member));
    const event: MessageCreated = { message: dto };
    this.events.emit(MESSAGE_CREATED, event);
    // Bookkeeping that changes nothing anyone sees, so after the broadcast (both log their own
    // failures): the charge's entry was written before the message had its id, and the room's
    // highest number is recorded.
    await Promise.all([
      charge ? this.tokens.nameCharge(charge, message.id) : undefined,
      this.messages.recordNumber(message),
    ]);
    return { message: dto, created: true };
  }

  /**
   * A page of the room's conversation (members, or admins): only messages of the last 24 hours,
   * newest first, or oldest first after a given message (what a reconnecting client missed).
   */
  async list(
    caller: AuthUser,
    roomKey: string,
    query: MessageListQuery,
  ): Promise<Page<MessageDto>> {
    const { before, after, limit = DEFAULT_PAGE_SIZE } = query;
    if (before !== undefined && after !== undefined) throw beforeAndAfter();
    const room = await this.rooms.requireReadable(caller, roomKey);
    const since = new Date(this.clock.now().getTime() - CONVERSATION_WINDOW_MS);
    const rows =
      after === undefined
        ? await this.messages.pageBefore(room.key, since, before, limit)
        : await this.messages.pageAfter(room.key, since, after, limit);
    const page = toPage(rows, limit);
    return { items: await this.withAuthors(page.items), nextCursor: page.nextCursor };
  }

  /** One stored message (still stored, even if past its 24-hour window). */
  async get(id: string): Promise<MessageDto> {
    const message = await this.messages.findById(id);
    if (!message) throw notFound();
    return toMessageDto(message, await this.author(message.authorId));
  }

  /**
   * Deletes a stored message, by its author or an admin; no refund. A message past its 24-hour
   * window but not yet removed by retention can still be deleted: its author may want it gone.
   */
  async delete(caller: AuthUser, id: string): Promise<void> {
    const message = await this.messages.findById(id);
    if (!message) throw notFound();
    if (message.authorId !== caller.id && caller.role !== 'admin') {
      throw DomainError.forbidden('Only the author or an admin may delete a message');
    }
    if (!(await this.messages.delete(message))) throw notFound();
    const event: MessageDeleted = { id, roomKey: message.roomKey };
    this.events.emit(MESSAGE_DELETED, event);
  }

  /** Deletes every stored message of the author (their account is deleted); each room is told. */
  async deleteAllOf(authorId: string): Promise<void> {
    for (const message of await this.messages.byAuthor(authorId)) {
      if (!(await this.messages.delete(message))) continue;
      const event: MessageDeleted = { id: message.id, roomKey: message.roomKey };
      this.events.emit(MESSAGE_DELETED, event);
    }
  }

  /** Every message of the author still stored (past its 24 hours too), oldest first. */
  async storedOf(authorId: string): Promise<MessageDto[]> {
    return this.withAuthors(await this.messages.byAuthor(authorId));
  }

  /**
   * Messages posted in the span, as stored: storage keeps them MESSAGE_RETENTION_HOURS, so older
   * spans count only what retention has not removed yet.
   */
  countPostedIn(span: TimeSpan): Promise<number> {
    return this.messages.countIn(span);
  }

  /** Messages posted per UTC day of the span, as stored (see countPostedIn). */
  postedByDay(span: TimeSpan): Promise<DayTotal[]> {
    return this.messages.countByDay(span);
  }

  private async earlierPost(
    userId: string,
    clientMessageId: string | null,
  ): Promise<MessageRecord | null> {
    if (clientMessageId === null) return null;
    return this.messages.findByClientId(userId, clientMessageId);
  }

  private async repeated(message: MessageRecord): Promise<PostedMessage> {
    return {
      message: toMessageDto(message, await this.author(message.authorId)),
      created: false,
    };
  }

  private async author(userId: string): Promise<UserPublicDto> {
    const authors = await this.users.publicViews([userId]);
    return authors.get(userId) ?? deletedUserView(userId);
  }

  private async withAuthors(messages: readonly MessageRecord[]): Promise<MessageDto[]> {
    const authors = await this.users.publicViews(messages.map((m) => m.authorId));
    return messages.map((m) =>
      toMessageDto(m, authors.get(m.authorId) ?? deletedUserView(m.authorId)),
    );
  }
}

function notFound(): DomainError {
  return DomainError.notFound('No such message');
}

function beforeAndAfter(): DomainError {
  const message = 'Page either before a message or after one, not both';
  return new DomainError('BAD_REQUEST', message, [
    { field: 'before', message: 'before cannot be combined with after' },
    { field: 'after', message: 'after cannot be combined with before' },
  ]);
}
