import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { AppConfig, Clock } from '@app/common';
import { USERS_CHANGED, type UsersChanged } from '@app/users';
import { SESSIONS_REVOKED, type SessionsRevoked } from '../auth.events';
import { hashRefreshToken, newRefreshToken } from './session-tokens';
import { type SessionListing, type SessionRecord, SessionsRepository } from './sessions.repository';

export interface IssuedSession {
  session: SessionRecord;
  refreshToken: string;
}

export type RotationResult =
  | { kind: 'rotated'; session: SessionRecord; refreshToken: string }
  | { kind: 'reused'; session: SessionRecord }
  /** The token is current, but its session was revoked or expired. */
  | { kind: 'ended'; session: SessionRecord }
  | { kind: 'invalid' };

const DAY_MS = 86_400_000;

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Ends every session of a user whose account is being deleted (sockets disconnect at once), then
   * removes them: they hold user agents.
   */
  async endAndForget(userId: string): Promise<void> {
    await this.revokeAll(userId, 'account deleted');
    await this.sessions.deleteAllOf(userId);
  }

  /** Every stored session of the user, newest first (expired ones stay a week, then go). */
  listOf(userId: string): Promise<SessionListing[]> {
    return this.sessions.listOf(userId);
  }

  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.config.get('REFRESH_TOKEN_TTL_DAYS') * DAY_MS);
  }

  async open(userId: string, userAgent: string | null): Promise<IssuedSession> {
    const now = this.clock.now();
    const refreshToken = newRefreshToken();
    const session = await this.sessions.create({
      userId,
      refreshHash: hashRefreshToken(refreshToken),
      expiresAt: this.expiry(now),
      now,
      userAgent,
    });
    return { session, refreshToken };
  }

  /**
   * Exchanges a refresh token for a new one. A token that was already rotated away is a stolen
   * copy or a replay: its whole session is revoked.
   */
  async rotate(refreshToken: string): Promise<RotationResult> {
    const now = this.clock.now();
    const hash = hashRefreshToken(refreshToken);
    const next = newRefreshToken();
    const session = await this.sessions.rotate(hash, hashRefreshToken(next), now, this.expiry(now));
    if (session) return { kind: 'rotated', session, refreshToken: next };
    const ended = await this.sessions.findByRefreshHash(hash);
    if (ended) return { kind: 'ended', session: ended };
    const reused = await this.sessions.findByRotatedHash(hash);
    if (!reused) return { kind: 'invalid' };
    await this.revoke(reused, 'refresh token reused');
    return { kind: 'reused', session: reused };
  }

  find(id: string): Promise<SessionRecord | null> {
    return this.sessions.findById(id);
  }

  /** Whether the session may still be used: not revoked, not expired. */
  isOpen(session: SessionRecord): boolean {
    return !session.revokedAt && session.expiresAt > this.clock.now();
  }

  /** The session when it may still be used. */
  async findActive(id: string): Promise<SessionRecord | null> {
    const session = await this.sessions.findById(id);
    return session && this.isOpen(session) ? session : null;
  }

  async revoke(session: SessionRecord, reason: string): Promise<void> {
    await this.sessions.revoke(session.id, reason, this.clock.now());
    this.announce({ userId: session.userId, sessionIds: [session.id], reason });
  }

  /** Ends every session of a user, or all but the one given. */
  async revokeAll(userId: string, reason: string, exceptSessionId?: string): Promise<void> {
    const sessionIds = await this.sessions.revokeAllOf(
      userId,
      reason,
      this.clock.now(),
      exceptSessionId,
    );
    this.announce({ userId, sessionIds, reason });
  }

  /** A ban or a deletion ends every session of the account at once. */
  @OnEvent(USERS_CHANGED)
  async onUserChanged(event: UsersChanged): Promise<void> {
    if (event.deleted) await this.revokeAll(event.userId, 'user deleted');
    else if (event.banned) await this.revokeAll(event.userId, 'banned');
  }

  /**
   * Users active since `since`: those with a session created (login, signup) or refreshed since
   * then. An access token's use is not recorded, so activity is known at refresh granularity.
   */
  countUsersActiveSince(since: Date): Promise<number> {
    return this.sessions.countUsersActiveSince(since);
  }

  private announce(event: SessionsRevoked): void {
    this.events.emit(SESSIONS_REVOKED, event);
  }
}
