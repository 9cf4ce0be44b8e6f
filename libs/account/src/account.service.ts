import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/admin';
import { PasswordHasher, PasswordResetsService, SessionsService } from '@app/auth';
import { AvatarsService } from '@app/avatars';
import { CapsulesService } from '@app/capsules';
import { CouponsService } from '@app/coupons';
import { type AuthUser, Clock, DomainError, type Page } from '@app/common';
import { InvitesService, toInviteItem } from '@app/invites';
import { MessagesService } from '@app/messages';
import { ReportsService, toReportReceipt } from '@app/reports';
import { SponsorsService } from '@app/sponsors';
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
    private readonly avatars: AvatarsService,
    private readonly coupons: CouponsService,
    private readonly sponsors: SponsorsService,
    private readonly resets: PasswordResetsService,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /**
   * Deletes the caller's account, once their password is confirmed (400 otherwise; 409 for the
   * last admin). Sessions end first, so sockets disconnect and the account can do nothing more;
   * then what is theirs goes: messages (each room told), capsules, avatar, reset links, wallet,
   * sessions, and the user document itself, so the email may sign up again. What others hold
   * stays without their personal data: ledger entries (an opaque id, for the totals), the
   * evidence of reports of their messages (shown as a deleted user), audit entries about them
   * (details erased), used invite codes (their invitees keep their accounts; unused codes are
   * revoked).
   */
  async deleteAccount(caller: AuthUser, password: string): Promise<void> {
    const user = await this.users.getById(caller.id);
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      throw DomainError.validation([{ field: 'password', message: 'is not your password' }]);
    }
    if (await this.users.isLastActiveAdmin(user)) {
      throw DomainError.conflict('The last admin cannot delete their account', [
        { field: 'password', message: 'would leave no admin: make another admin first' },
      ]);
    }
    const userId = user.id;
    await this.sessions.endAndForget(userId);
    await this.messages.deleteAllOf(userId);
    await this.capsules.deleteAllOf(userId);
    await this.avatars.reset(userId);
    await this.resets.cancelFor(userId);
    await this.invites.revokeAllOf(userId);
    await this.reports.forgetAuthor(userId);
    await this.audit.eraseDetailsAbout(userId);
    await this.tokens.closeWallet(userId);
    await this.users.deleteById(userId);
  }

  /** The caller's data as one document: profile, sessions, ledger, invites, capsules, messages, reports. */
  async export(caller: AuthUser): Promise<AccountExportDto> {
    const userId = caller.id;
    const exportedAt = this.clock.now();
    const [user, balance] = await Promise.all([
      this.users.getById(userId),
      this.tokens.balance(userId),
    ]);
    const [inviter, sessions, ledger, invites, capsules, messages, reports, redeemed, shown] =
      await Promise.all([
        this.users.publicViews(user.invitedBy === null ? [] : [user.invitedBy]),
        this.sessions.listOf(userId),
        everyPage((cursor) => this.tokens.ledger(userId, cursor, EXPORT_PAGE)),
        everyPage((cursor) => this.invites.list(userId, cursor, EXPORT_PAGE)),
        this.capsules.list(userId),
        this.messages.storedOf(userId),
        this.reports.filedBy(userId),
        this.coupons.redeemedBy(userId),
        this.sponsors.shownTo(userId),
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
      couponsRedeemed: redeemed.map((r) => ({
        couponId: r.couponId,
        redeemedAt: r.redeemedAt.toISOString(),
        grantedAt: r.grantedAt?.toISOString() ?? null,
      })),
      sponsorsShown: shown.map((s) => ({
        sponsorId: s.sponsorId,
        roomKey: s.roomKey,
        shownAt: s.shownAt.toISOString(),
        clickedAt: s.clickedAt?.toISOString() ?? null,
      })),
    };
  }
}
