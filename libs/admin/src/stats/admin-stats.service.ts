import { Injectable } from '@nestjs/common';
import { SessionsService } from '@app/auth';
import { CapsulesService } from '@app/capsules';
import { Clock } from '@app/common';
import type { TimeSpan } from '@app/database';
import { InvitesService } from '@app/invites';
import { MessagesService } from '@app/messages';
import { SponsorsService } from '@app/sponsors';
import { TokensService } from '@app/tokens';
import { UsersService } from '@app/users';
import type { AdminStatsDto, StatsQueryDto, StatsTotalsDto } from './admin-stats.dto';
import { StatsCache } from './stats-cache';
import { type StatsRange, statsRange, zeroFilled } from './stats-range';

const HOUR_MS = 3_600_000;

/**
 * GET /admin/stats: each number comes from the service that owns its collection (a count or one
 * aggregation on an indexed date field); answers are cached per range for at most 60 s.
 */
@Injectable()
export class AdminStatsService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly messages: MessagesService,
    private readonly capsules: CapsulesService,
    private readonly invites: InvitesService,
    private readonly sponsors: SponsorsService,
    private readonly cache: StatsCache,
    private readonly clock: Clock,
  ) {}

  /** 400 VALIDATION_FAILED for a bad range, before the cache is asked. */
  stats(query: StatsQueryDto): Promise<AdminStatsDto> {
    const range = statsRange(query.from, query.to, this.clock.now());
    return this.cache.getOrCompute(`admin-stats:${range.from}:${range.to}`, () =>
      this.compute(range),
    );
  }

  private async compute(range: StatsRange): Promise<AdminStatsDto> {
    const now = this.clock.now();
    const [totals, signups, messages, tokensSpent, impressions] = await Promise.all([
      this.totals(range.span, now),
      this.users.signupsByDay(range.span),
      this.messages.postedByDay(range.span),
      this.tokens.spentByDay(range.span),
      this.sponsors.impressionsByDay(range.span),
    ]);
    const bySignups = zeroFilled(range, signups);
    const byMessages = zeroFilled(range, messages);
    const bySpent = zeroFilled(range, tokensSpent);
    const byImpressions = zeroFilled(range, impressions);
    return {
      from: range.from,
      to: range.to,
      generatedAt: now.toISOString(),
      totals: { ...totals, signups: bySignups.reduce((a, b) => a + b, 0) },
      daily: range.days.map((day, index) => ({
        day,
        signups: bySignups[index],
        messages: byMessages[index],
        tokensSpent: bySpent[index],
        sponsorImpressions: byImpressions[index],
      })),
    };
  }

  private async totals(span: TimeSpan, now: Date): Promise<Omit<StatsTotalsDto, 'signups'>> {
    const since = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
    const [users, active24h, active7d, messages24h, capsules, ledger, invitesUsed, sponsors] =
      await Promise.all([
        this.users.countAll(),
        this.sessions.countUsersActiveSince(since(24)),
        this.sessions.countUsersActiveSince(since(7 * 24)),
        this.messages.countPostedIn({ start: since(24), end: new Date(now.getTime() + 1) }),
        this.capsules.countsIn(span),
        this.tokens.ledgerTotals(span),
        this.invites.countUsesIn(span),
        this.sponsors.countsIn(span),
      ]);
    return {
      users,
      activeUsers24h: active24h,
      activeUsers7d: active7d,
      messages24h,
      capsulesSealed: capsules.sealed,
      capsulesDelivered: capsules.delivered,
      tokensGranted: ledger.granted,
      tokensSpent: ledger.spent,
      invitesUsed,
      sponsorImpressions: sponsors.impressions,
      sponsorClicks: sponsors.clicks,
    };
  }
}
