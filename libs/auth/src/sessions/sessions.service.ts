import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig, Clock } from '@app/common';
import { SESSIONS_REVOKED, type SessionsRevoked } from '../auth.events';
import { hashRefreshToken, newRefreshToken } from './session-tokens';
import { type SessionRecord, SessionsRepository } from './sessions.repository';

export interface IssuedSession {
  session: SessionRecord;
  refreshToken: string;
}

export type RotationResult =
  | { kind: 'rotated'; session: SessionRecord; refreshToken: string }
  | { kind: 'reused'; session: SessionRecord }
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
    const reused = await this.sessions.findByRotatedHash(hash);
    if (!reused) return { kind: 'invalid' };
    await this.revoke(reused, 'refresh token reused');
    return { kind: 'reused', session: reused };
  }

  /** The session when it may still be used: not revoked, not expired. */
  async findActive(id: string): Promise<SessionRecord | null> {
    const session = await this.sessions.findById(id);
    if (!session || session.revokedAt || session.expiresAt <= this.clock.now()) return null;
    return session;
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

  private announce(event: SessionsRevoked): void {
    this.events.emit(SESSIONS_REVOKED, event);
  }
}
