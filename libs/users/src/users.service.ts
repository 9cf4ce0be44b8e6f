import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig, Clock, DomainError, type Page, toPage } from '@app/common';
import { TokensService } from '@app/tokens';
import { birthDateProblem } from './birth-date';
import {
  toUserPrivate,
  toUserPublic,
  type UserPrivateDto,
  type UserPublicDto,
} from './dto/user-views.dto';
import type { AdminUserChanges, NewUser, ProfileChanges, UserRecord } from './user.record';
import { USERS_CHANGED, type UsersChanged } from './users.events';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokensService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /** Users stored before rooms existed get their room keys at start. */
  async onModuleInit(): Promise<void> {
    const backfilled = await this.users.backfillRooms();
    if (backfilled > 0) new Logger(UsersService.name).log(`Room keys given to ${backfilled} users`);
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
    return this.users.create(user);
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
    if (changes.birthDate !== undefined) this.checkBirthDate(changes.birthDate);
    const user = await this.users.updateByAdmin(id, changes);
    if (!user) throw DomainError.notFound('No such user');
    await this.announce({ userId: id, banned: user.banned });
    return user;
  }

  setPasswordHash(id: string, passwordHash: string): Promise<void> {
    return this.users.setPasswordHash(id, passwordHash);
  }

  /** Undoes a just-created account (a signup that failed half way). */
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
}
