import { Injectable } from '@nestjs/common';
import { SessionsService } from '@app/auth';
import { CapsulesService } from '@app/capsules';
import { type AuthUser, Clock, type Page } from '@app/common';
import { InvitesService, toInviteItem } from '@app/invites';
import { MessagesService } from '@app/messages';
import { ReportsService, toReportReceipt } from '@app/reports';
import { toLedgerEntry, TokensService } from '@app/tokens';
import { toUserPrivate, UsersService } from '@app/users';
import { type AccountExportDto, toExportedSession } from './dto/account-export.dto';

/** Rows per page when the export walks a paged list to its end. */
const EXPORT_PAGE = 100;

/** Every page of a keyset-paged list, in its order. */
async function everyPage<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

/**
 * A member's account as a whole: everything held about them, gathered from each module that holds
 * a part (each module owns its reads). It sits above those modules, so it may ask them all.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly invites: InvitesService,
    private readonly capsules: CapsulesService,
    private readonly messages: MessagesService,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  /** The caller's data as one document: profile, sessions, ledger, invites, capsules, messages, reports. */
  async export(caller: AuthUser): Promise<AccountExportDto> {
    const userId = caller.id;
    const exportedAt = this.clock.now();
    const [user, balance] = await Promise.all([
      this.users.getById(userId),
      this.tokens.balance(userId),
    ]);
    const [inviter, sessions, ledger, invites, capsules, messages, reports] = await Promise.all([
      this.users.publicViews(user.invitedBy === null ? [] : [user.invitedBy]),
      this.sessions.listOf(userId),
      everyPage((cursor) => this.tokens.ledger(userId, cursor, EXPORT_PAGE)),
      everyPage((cursor) => this.invites.list(userId, cursor, EXPORT_PAGE)),
      this.capsules.list(userId),
      this.messages.storedOf(userId),
      this.reports.filedBy(userId),
    ]);
    return {
      exportedAt: exportedAt.toISOString(),
      profile: toUserPrivate(user, balance),
      invitedBy: user.invitedBy === null ? null : (inviter.get(user.invitedBy) ?? null),
      sessions: sessions.map((session) => toExportedSession(session, caller.sessionId)),
      ledger: ledger.map(toLedgerEntry),
      invites: invites.map(toInviteItem),
      capsules,
      messages,
      reports: reports.map(toReportReceipt),
    };
  }
}
