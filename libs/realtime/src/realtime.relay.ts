import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SESSIONS_REVOKED, type SessionsRevoked } from '@app/auth';
import { CAPSULE_DELIVERED, type CapsuleDelivered } from '@app/capsules';
import {
  MESSAGE_CREATED,
  MESSAGE_DELETED,
  type MessageCreated,
  type MessageDeleted,
} from '@app/messages';
import { BIRTHDAYS_TODAY, type BirthdaysToday } from '@app/rooms';
import { TOKENS_BALANCE_CHANGED, type TokensBalanceChanged } from '@app/tokens';
import {
  USER_ROOMS_MOVED,
  type UserRoomsMoved,
  USERS_CHANGED,
  type UsersChanged,
} from '@app/users';
import { RealtimeCommands } from './realtime.commands';
import { RealtimeEmitter } from './realtime.emitter';
import { socketRooms } from './realtime.events';

/**
 * Domain events, however they were caused (REST or socket), to the sockets concerned. Each event
 * is emitted in the process that caused it, and the adapter carries it to every instance, so
 * nothing is sent twice.
 */
@Injectable()
export class RealtimeRelay {
  constructor(
    private readonly emitter: RealtimeEmitter,
    private readonly commands: RealtimeCommands,
  ) {}

  @OnEvent(MESSAGE_CREATED)
  messageCreated({ message }: MessageCreated): void {
    this.emitter.emitTo(socketRooms.room(message.roomKey), 'message:new', { message });
  }

  @OnEvent(MESSAGE_DELETED)
  messageDeleted({ id, roomKey }: MessageDeleted): void {
    this.emitter.emitTo(socketRooms.room(roomKey), 'message:deleted', { id, roomKey });
  }

  @OnEvent(CAPSULE_DELIVERED)
  capsuleDelivered({ ownerId, capsule }: CapsuleDelivered): void {
    this.emitter.emitTo(socketRooms.user(ownerId), 'capsule:delivered', { capsule });
  }

  @OnEvent(BIRTHDAYS_TODAY)
  birthdaysToday({ roomKey, users }: BirthdaysToday): void {
    this.emitter.emitTo(socketRooms.room(roomKey), 'birthday:today', { roomKey, users });
  }

  @OnEvent(TOKENS_BALANCE_CHANGED)
  balanceChanged({ userId, balance }: TokensBalanceChanged): void {
    this.emitter.emitTo(socketRooms.user(userId), 'tokens:balance', { balance });
  }

  @OnEvent(SESSIONS_REVOKED)
  sessionsRevoked({ sessionIds }: SessionsRevoked): void {
    this.emitter.disconnectRooms(sessionIds.map(socketRooms.session));
  }

  @OnEvent(USERS_CHANGED)
  userChanged({ userId, banned, deleted }: UsersChanged): void {
    if (banned === true || deleted === true) {
      this.emitter.disconnectRooms([socketRooms.user(userId)]);
    }
  }

  /** Each instance takes its own sockets out: presence entries live with their instance. */
  @OnEvent(USER_ROOMS_MOVED)
  roomsMoved({ userId, left }: UserRoomsMoved): Promise<void> {
    this.emitter.toOtherInstances('user:rooms-left', { userId, roomKeys: left });
    return this.commands.leaveRoomsOf(userId, left);
  }
}
