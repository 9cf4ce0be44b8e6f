import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock, DomainError } from '@app/common';
import { MessagesService } from '@app/messages';
import { RateLimiter } from '@app/rate-limit';
import { Presence, RoomsService } from '@app/rooms';
import { SponsorsService } from '@app/sponsors';
import { PresenceNotices } from './presence-notices';
import { RealtimeEmitter, type RealtimeSocket } from './realtime.emitter';
import {
  type MessageSent,
  type RoomJoined,
  type RoomLeft,
  socketRooms,
  type TypingSent,
} from './realtime.events';
import { SOCKET_EVENTS } from './realtime.rate-limits';
import { readRoomPayload, readSendPayload } from './socket-payload';
import { TypingThrottle } from './typing-throttle';

/** What each client event does, once the gateway has authenticated the socket. */
@Injectable()
export class RealtimeCommands implements OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private readonly typingThrottle = new TypingThrottle();
  private readonly presenceNotices = new PresenceNotices((update) => {
    this.emitter.emitTo(socketRooms.room(update.roomKey), 'presence:update', update);
  });

  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: Presence,
    private readonly messages: MessagesService,
    private readonly sponsors: SponsorsService,
    private readonly limiter: RateLimiter,
    private readonly emitter: RealtimeEmitter,
    private readonly clock: Clock,
  ) {}

  /** Counts a client event against the user's socket event limit (message:send has its own). */
  countEvent(socket: RealtimeSocket): Promise<void> {
    return this.limiter.consume(SOCKET_EVENTS, socket.data.userId);
  }

  async join(socket: RealtimeSocket, payload: unknown): Promise<RoomJoined> {
    await this.countEvent(socket);
    const { roomKey } = readRoomPayload(payload);
    const { userId, sessionId, user } = socket.data;
    const room = await this.rooms.requireMember(userId, roomKey);
    // Presence first: a join the presence store refuses leaves the socket out of the room.
    const { onlineCount, changed } = await this.presence.enter(roomKey, userId, socket.id);
    if (socket.disconnected) {
      // It disconnected while joining, after its rooms were left: leave no entry behind.
      await this.presence.exit(roomKey, userId, socket.id);
      throw new DomainError('SERVICE_UNAVAILABLE', 'The connection closed while joining');
    }
    await socket.join(socketRooms.room(roomKey));
    if (changed) this.presenceNotices.changed({ roomKey, onlineCount, joined: user });
    // The same choice and impression as GET /rooms/:key/sponsor, once per session and room. A
    // failing sponsor lookup leaves the join done: the room matters more than the ad.
    const sponsor = await this.sponsors
      .offerIn(room, { userId, sessionId })
      .catch((error: unknown) => {
        this.logger.warn(`No sponsor for ${roomKey}: ${String(error)}`);
        return null;
      });
    return { roomKey, online: onlineCount, sponsor };
  }

  async leave(socket: RealtimeSocket, payload: unknown): Promise<RoomLeft> {
    await this.countEvent(socket);
    const { roomKey } = readRoomPayload(payload);
    await this.exit(socket, roomKey);
    return { roomKey };
  }

  /** Posts like REST does (rules, costs, posting limit); the room hears of it via MESSAGE_CREATED. */
  async send(socket: RealtimeSocket, payload: unknown): Promise<MessageSent> {
    const { roomKey, text, clientMessageId } = readSendPayload(payload);
    return this.messages.post(socket.data.userId, roomKey, {
      text,
      ...(clientMessageId === undefined ? {} : { clientMessageId }),
    });
  }

  /** Tells the room's other users (none of the typist's own sockets), at most every 2 s. */
  async typing(socket: RealtimeSocket, payload: unknown): Promise<TypingSent> {
    await this.countEvent(socket);
    const { roomKey } = readRoomPayload(payload);
    const { userId, user } = socket.data;
    if (!socket.rooms.has(socketRooms.room(roomKey))) {
      throw DomainError.forbidden('Join the room before typing in it');
    }
    const sent = this.typingThrottle.pass(userId, roomKey, this.clock.now().getTime());
    if (sent) {
      this.emitter.emitTo(
        socketRooms.room(roomKey),
        'typing',
        { roomKey, user },
        socketRooms.user(userId),
      );
    }
    return { roomKey, sent };
  }

  /** Leaves every room the socket had joined (it disconnected). */
  async leaveAll(socket: RealtimeSocket): Promise<void> {
    const keys = this.presence.roomsOfSocket(socket.id);
    await Promise.all(keys.map((roomKey) => this.exit(socket, roomKey)));
  }

  /**
   * Takes the user's sockets on this instance out of these rooms (a birth-date correction moved
   * the user out of them): they stop hearing the room, and its presence counts them no more.
   */
  async leaveRoomsOf(userId: string, roomKeys: readonly string[]): Promise<void> {
    const sockets = this.emitter.localSocketsIn(socketRooms.user(userId));
    await Promise.all(
      sockets.flatMap((socket) =>
        roomKeys
          .filter((roomKey) => socket.rooms.has(socketRooms.room(roomKey)))
          .map((roomKey) => this.exit(socket, roomKey)),
      ),
    );
  }

  private async exit(socket: RealtimeSocket, roomKey: string): Promise<void> {
    const { userId, user } = socket.data;
    await socket.leave(socketRooms.room(roomKey));
    const { onlineCount, changed } = await this.presence.exit(roomKey, userId, socket.id);
    if (changed) this.presenceNotices.changed({ roomKey, onlineCount, left: user });
  }

  onModuleDestroy(): void {
    this.presenceNotices.close();
  }
}
