import { Injectable } from '@nestjs/common';
import {
  type AuthUser,
  DEFAULT_PAGE_SIZE,
  DomainError,
  mapPage,
  normalizePlainText,
} from '@app/common';
import { InvitesService, toInvitePage } from '@app/invites';
import { toLedgerEntry, TokensService } from '@app/tokens';
import { type AdminUserChanges, type UserRecord, UsersService } from '@app/users';
import { AuditService } from '../audit/audit.service';
import {
  ADMIN_TOKEN_REASON_MAX,
  type AdminTokensResultDto,
  type AdminUserDetailDto,
  type AdminUserDto,
  type AdminUserPageDto,
  type AdminUserQueryDto,
  type GrantAdminTokensDto,
  toAdminUser,
  type UpdateAdminUserDto,
} from './admin-users.dto';

/** How many ledger entries, invites and invitees a user's detail shows (the latest). */
const ADMIN_USER_DETAIL_ITEMS = 20;

function target(userId: string): { type: string; id: string } {
  return { type: 'user', id: userId };
}

function auditedFields(user: UserRecord): Pick<UserRecord, 'role' | 'banned' | 'birthDate'> {
  return { role: user.role, banned: user.banned, birthDate: user.birthDate };
}

/** User management for admins: each change goes through UsersService or TokensService, then the audit log. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly invites: InvitesService,
    private readonly audit: AuditService,
  ) {}

  async list(query: AdminUserQueryDto): Promise<AdminUserPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.users.search(query.query ?? '', query.cursor, limit);
    return mapPage(page, toAdminUser);
  }

  async detail(id: string): Promise<AdminUserDetailDto> {
    const user = await this.users.getById(id);
    const items = ADMIN_USER_DETAIL_ITEMS;
    const [balance, ledger, invites, invitees, inviter] = await Promise.all([
      this.tokens.balance(id),
      this.tokens.ledger(id, undefined, items),
      this.invites.list(id, undefined, items),
      this.users.invitedBy(id, items),
      user.invitedBy === null ? null : this.users.findById(user.invitedBy),
    ]);
    return Object.assign(toAdminUser(user), {
      rooms: user.rooms,
      balance,
      ledger: ledger.items.map(toLedgerEntry),
      invitedBy: inviter === null ? null : toAdminUser(inviter),
      invites: toInvitePage(invites).items,
      invitees: invitees.map(toAdminUser),
    });
  }

  /** 403 for a ban or demotion of oneself; 409 when it would leave no admin (UsersService). */
  async update(actor: AuthUser, id: string, input: UpdateAdminUserDto): Promise<AdminUserDto> {
    if (id === actor.id && (input.banned === true || input.role === 'user')) {
      throw DomainError.forbidden('You cannot ban or demote yourself');
    }
    const changes: AdminUserChanges = {
      ...(input.role === undefined ? {} : { role: input.role }),
      ...(input.banned === undefined ? {} : { banned: input.banned }),
      ...(input.birthDate === undefined ? {} : { birthDate: input.birthDate }),
    };
    const { before, after } = await this.users.changeByAdmin(id, changes);
    await this.audit.record({
      actorId: actor.id,
      action: 'user.update',
      target: target(id),
      details: {
        email: after.email,
        before: auditedFields(before),
        after: auditedFields(after),
        ...(before.birthDate === after.birthDate
          ? {}
          : { rooms: { before: before.rooms, after: after.rooms } }),
      },
    });
    return toAdminUser(after);
  }

  /** Adds or removes tokens (ledger reason `admin`, ref the admin); never below zero (402). */
  async grantTokens(
    actor: AuthUser,
    id: string,
    input: GrantAdminTokensDto,
  ): Promise<AdminTokensResultDto> {
    const reason = normalizePlainText(input.reason, 'reason', ADMIN_TOKEN_REASON_MAX);
    if (!reason.ok) throw DomainError.validation([{ field: 'reason', message: reason.problem }]);
    await this.users.getById(id);
    const entry = await this.tokens.adjust(id, input.amount, 'admin', actor.id);
    const balance = entry.balanceAfter;
    await this.audit.record({
      actorId: actor.id,
      action: 'user.tokens',
      target: target(id),
      details: {
        amount: input.amount,
        reason: reason.text,
        ledgerEntryId: entry.id,
        before: { balance: balance - input.amount },
        after: { balance },
      },
    });
    return { balance, entry: toLedgerEntry(entry) };
  }
}
