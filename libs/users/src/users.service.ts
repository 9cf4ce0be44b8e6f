import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig, Clock, DomainError, type Page, toPage } from '@app/common';
import type { DayTotal, TimeSpan } from '@app/database';
import { TokensService } from '@app/tokens';
import type { AvatarSource } from './avatar-url';
import { birthDateProblem } from './birth-date';
import {
  toUserPrivate,
  toUserPublic,
  type UserPrivateDto,
  type UserPublicDto,
} from './dto/user-views.dto';
import type { AdminUserChanges, NewUser, ProfileChanges, UserRecord } from './user.record';
import {
  USER_ROOMS_MOVED,
  type UserRoomsMoved,
  USERS_CHANGED,
  type UsersChanged,
} from './users.events';
import { type AdminUserUpdate, UsersRepository } from './users.repository';

function isActiveAdmin(user: UserRecord): boolean {
  return user.role === 'admin' && !user.banned;
}

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokensService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /** Users stored before rooms (or admin search) existed get their room keys (and name keys). */
  async onModuleInit(): Promise<void> {
    const logger = new Logger(UsersService.name);
    const backfilled = await this.users.backfillRooms();
    if (backfilled > 0) logger.log(`Room keys given to ${backfilled} users`);
    const keyed = await this.users.backfillDisplayNameKeys();
    if (keyed > 0) logger.log(`Display-name search keys given to ${keyed} users`);
  }

  /** 400 VALIDATION_FAILED naming birthDate when it is in the future or too recent. */
  checkBirthDate(birthDate: string): void {
    const problem = birthDateProblem(
      birthDate,
      this.clock.now(),
      this.config.get('MIN_SIGNUP_AGE'),
    );
    if (problem) throw DomainError.validation([{ field: 'birthDate', message: problem }]);
  }

  create(user: NewUser): Promise<UserRecord> {
    return this.users.create(user, this.clock.now());
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.users.findById(id);
  }

  /** What a user sees of themself: the profile, email, birth date, role and balance. */
  async privateView(id: string): Promise<UserPrivateDto> {
    const [user, balance] = await Promise.all([this.getById(id), this.tokens.balance(id)]);
    return toUserPrivate(user, balance);
  }

  async getById(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id);
    if (!user) throw DomainError.notFound('No such user');
    return user;
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(email);
  }

  async publicViews(ids: readonly string[]): Promise<Map<string, UserPublicDto>> {
    const users = await this.users.findByIds([...new Set(ids)]);
    return new Map(users.map((user) => [user.id, toUserPublic(user)]));
  }

  async updateProfile(id: string, changes: ProfileChanges): Promise<UserRecord> {
    const user = await this.users.updateProfile(id, changes);
    if (!user) throw DomainError.notFound('No such user');
    return user;
  }

  async updateByAdmin(id: string, changes: AdminUserChanges): Promise<UserRecord> {
    return (await this.changeByAdmin(id, changes)).after;
  }

  /**
   * An admin's change, with the user before it. The last admin who is not banned cannot be
   * demoted or banned (409): the change is written first and undone when no such admin is left,
   * so that of two admins demoting each other at once at least one stays.
   */
  async changeByAdmin(id: string, changes: AdminUserChanges): Promise<AdminUserUpdate> {
    if (Object.keys(changes).length === 0) {
      throw DomainError.validation(
        [{ field: 'body', message: 'must change role, banned or birthDate' }],
        'Nothing to change',
      );
    }
    if (changes.birthDate !== undefined) this.checkBirthDate(changes.birthDate);
    const update = await this.users.updateByAdmin(id, changes);
    if (!update) throw DomainError.notFound('No such user');
    const { before, after } = update;
    if (isActiveAdmin(before) && !isActiveAdmin(after)) {
      if ((await this.users.countActiveAdmins()) === 0) {
        await this.users.undoAdminUpdate(update);
        throw DomainError.conflict('The last admin cannot be demoted or banned', [
          { field: after.role === 'admin' ? 'banned' : 'role', message: 'would leave no admin' },
        ]);
      }
    }
    await this.announce({ userId: id, banned: after.banned });
    const left = before.rooms.filter((key) => !after.rooms.includes(key));
    if (left.length > 0) {
      const joined = after.rooms.filter((key) => !before.rooms.includes(key));
      const moved: UserRoomsMoved = { userId: id, left, joined };
      await this.events.emitAsync(USER_ROOMS_MOVED, moved);
    }
    return update;
  }

  /** Newest first, users whose email or display name starts with `query`, ignoring case. */
  async search(
    query: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<UserRecord>> {
    return toPage(await this.users.search(query, cursor, limit), limit);
  }

  /** The users who signed up with an invite of `inviterId`, newest first, up to `limit`. */
  invitedBy(inviterId: string, limit: number): Promise<UserRecord[]> {
    return this.users.invitedBy(inviterId, limit);
  }

  /** What the user's avatar is made from; 404 NOT_FOUND for an unknown user. */
  async avatarSource(id: string): Promise<AvatarSource> {
    const source = await this.users.findAvatarSource(id);
    if (!source) throw DomainError.notFound('No such user');
    return source;
  }

  /**
   * Shows the upload stored under `avatarHash` (null: the generated avatar) and answers the hash
   * it replaced, whose file the caller may now delete; 404 NOT_FOUND for an unknown user.
   */
  async setAvatarHash(id: string, avatarHash: string | null): Promise<string | null> {
    const changed = await this.users.setAvatarHash(id, avatarHash);
    if (!changed) throw DomainError.notFound('No such user');
    return changed.previous;
  }

  setPasswordHash(id: string, passwordHash: string): Promise<void> {
    return this.users.setPasswordHash(id, passwordHash);
  }

  /** Whether this user is the only admin who is not banned. */
  async isLastActiveAdmin(user: UserRecord): Promise<boolean> {
    return isActiveAdmin(user) && (await this.users.countActiveAdmins()) === 1;
  }

  /** Undoes a just-created account (a signup that failed half way), or deletes one. */
  async deleteById(id: string): Promise<void> {
    await this.users.deleteById(id);
    await this.announce({ userId: id, deleted: true });
  }

  /** Resolves once every listener (sessions ending, sockets closing) has acted. */
  private async announce(event: UsersChanged): Promise<void> {
    await this.events.emitAsync(USERS_CHANGED, event);
  }

  /** How many members (not banned) a room has: an index read. */
  countInRoom(roomKey: string): Promise<number> {
    return this.users.countInRoom(roomKey);
  }

  /** Every room key of a room's members (not banned), the room's own included. */
  roomKeysAmong(roomKey: string): Promise<string[]> {
    return this.users.roomKeysAmong(roomKey);
  }

  /** A page of a room's members (not banned), newest account first. */
  async membersOf(
    roomKey: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<UserRecord>> {
    return toPage(await this.users.membersOf(roomKey, cursor, limit), limit);
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.users.countByRole('admin')) > 0;
  }

  /** Every account, banned ones included (admin statistics). */
  countAll(): Promise<number> {
    return this.users.countAll();
  }

  /** Signups per UTC day of the span, by one aggregation on the createdAt index. */
  signupsByDay(span: TimeSpan): Promise<DayTotal[]> {
    return this.users.signupsByDay(span);
  }
}
