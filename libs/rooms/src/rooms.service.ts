import { Injectable } from '@nestjs/common';
import { type AuthUser, Clock, DomainError, type Page } from '@app/common';
import {
  birthdayKeyOf,
  birthdayKeysOn,
  parseRoomKey,
  type RoomKind,
  type RoomRef,
  roomsOf,
  toUserPublic,
  type UserPublicDto,
  type UserRecord,
  UsersService,
} from '@app/users';
import { Presence } from './presence/presence';

/** A room its member may use, with the member as read for the check (no second read needed). */
export interface MemberRoom extends RoomRef {
  member: UserRecord;
}

export interface RoomView {
  key: string;
  kind: RoomKind;
  title: string;
  memberCount: number;
  onlineCount: number;
  birthdaysToday: UserPublicDto[];
}

/** A room and its members whose birthday it is. */
export interface RoomBirthdays {
  roomKey: string;
  users: UserPublicDto[];
}

/** How many birthday people a room shows (newest accounts first). */
const SPOTLIGHT_LIMIT = 50;

export type RoomMember = UserPublicDto & { online: boolean };

/**
 * Rooms and who may enter them. Membership is decided here and nowhere else: messages, the
 * gateway and sponsors ask this service.
 */
@Injectable()
export class RoomsService {
  constructor(
    private readonly users: UsersService,
    private readonly presence: Presence,
    private readonly clock: Clock,
  ) {}

  /** The caller's three rooms: day, date, year. */
  async myRooms(userId: string): Promise<RoomView[]> {
    const user = await this.users.getById(userId);
    return this.views(roomsOf(user.birthDate));
  }

  /** One room: 404 when the key is malformed, 403 when the caller is neither member nor admin. */
  async room(caller: AuthUser, key: string): Promise<RoomView> {
    const room = await this.requireReadable(caller, key);
    const [view] = await this.views([room]);
    return view;
  }

  /** A page of the room's members, newest account first, each with whether they are online. */
  async members(
    caller: AuthUser,
    key: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<RoomMember>> {
    const room = await this.requireReadable(caller, key);
    const page = await this.users.membersOf(room.key, cursor, limit);
    const online = await this.presence.onlineAmong(
      room.key,
      page.items.map((user) => user.id),
    );
    return {
      // toUserPublic builds a fresh object: adding to it changes nothing else.
      items: page.items.map((user) =>
        Object.assign(toUserPublic(user), { online: online.has(user.id) }),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** The room, when the user is one of its members (posting, joining live); else 404 or 403. */
  async requireMember(userId: string, key: string): Promise<MemberRoom> {
    const room = requireWellFormed(key);
    const member = await this.users.getById(userId);
    if (!member.rooms.includes(room.key)) throw notAMember();
    return { ...room, member };
  }

  /**
   * Every room whose members have their birthday on this UTC day: the date rooms of the day (with
   * 29 February on the 28th of other years) and the day rooms of those members' birth dates.
   */
  async birthdaysOn(day: Date): Promise<RoomBirthdays[]> {
    const found: RoomBirthdays[] = [];
    for (const dateKey of birthdayKeysOn(day)) {
      const keys = (await this.users.roomKeysAmong(dateKey)).filter(
        (key) => key === dateKey || key.startsWith('day-'),
      );
      for (const key of keys.sort()) {
        const users = await this.birthdayPeople(key, day);
        if (users.length > 0) found.push({ roomKey: key, users });
      }
    }
    return found;
  }

  /** The room, when the caller may read it: its members, and admins (moderation). */
  async requireReadable(caller: AuthUser, key: string): Promise<RoomRef> {
    if (caller.role !== 'admin') {
      const { key: memberKey, kind, title } = await this.requireMember(caller.id, key);
      return { key: memberKey, kind, title };
    }
    return requireWellFormed(key);
  }

  private async views(rooms: readonly RoomRef[]): Promise<RoomView[]> {
    const keys = rooms.map((room) => room.key);
    const today = this.clock.now();
    const [memberCounts, onlineCounts, birthdays] = await Promise.all([
      Promise.all(keys.map((key) => this.users.countInRoom(key))),
      this.presence.counts(keys),
      Promise.all(keys.map((key) => this.birthdayPeople(key, today))),
    ]);
    return rooms.map((room, i) => ({
      ...room,
      memberCount: memberCounts[i],
      onlineCount: onlineCounts[i],
      birthdaysToday: birthdays[i],
    }));
  }

  /** The room's members whose birthday is this UTC day: all of a day or date room's, or none. */
  private async birthdayPeople(key: string, day: Date): Promise<UserPublicDto[]> {
    const birthday = birthdayKeyOf(key);
    if (birthday === null || !birthdayKeysOn(day).includes(birthday)) return [];
    const page = await this.users.membersOf(key, undefined, SPOTLIGHT_LIMIT);
    return page.items.map(toUserPublic);
  }
}

function requireWellFormed(key: string): RoomRef {
  const room = parseRoomKey(key);
  if (!room)
    throw DomainError.notFound(
      'No such room: keys look like day-1990-05-17, date-05-17 or year-1990',
    );
  return room;
}

function notAMember(): DomainError {
  return DomainError.forbidden('Only members of this room may do this');
}
