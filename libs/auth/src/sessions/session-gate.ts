import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainError, type AuthUser, Clock } from '@app/common';
import { USERS_CHANGED, type UsersChanged, UsersService } from '@app/users';
import { SESSIONS_REVOKED, type SessionsRevoked } from '../auth.events';
import { SessionsService } from './sessions.service';

/** How long a positive check is trusted; revocations in this process drop it at once. */
const CACHE_MS = 2000;

interface Cached {
  user: AuthUser;
  until: number;
}

/**
 * Decides, for every authenticated request, whether the session behind an access token is still
 * open and its user still exists and is not banned. The role comes from the database, so a
 * demotion takes effect within the cache time even on other instances.
 */
@Injectable()
export class SessionGate {
  private readonly cache = new Map<string, Cached>();
  /** Bumped by every revocation or user change: a check that read before one caches nothing. */
  private generation = 0;

  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async admit(sessionId: string, userId: string): Promise<AuthUser> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(sessionId);
    if (cached && cached.until > now && cached.user.id === userId) return cached.user;
    const readAt = this.generation;
    const [session, user] = await Promise.all([
      this.sessions.find(sessionId),
      this.users.findById(userId),
    ]);
    if (!session || session.userId !== userId || !user) throw this.ended(sessionId);
    if (user.banned) throw DomainError.accountBanned();
    if (!this.sessions.isOpen(session)) throw this.ended(sessionId);
    const admitted: AuthUser = { id: user.id, role: user.role, sessionId };
    if (readAt !== this.generation) return admitted;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(sessionId, { user: admitted, until: now + CACHE_MS });
    return admitted;
  }

  private ended(sessionId: string): DomainError {
    this.cache.delete(sessionId);
    return DomainError.unauthorized('Session ended; sign in again');
  }

  @OnEvent(SESSIONS_REVOKED)
  forgetSessions(event: SessionsRevoked): void {
    this.generation++;
    for (const id of event.sessionIds) this.cache.delete(id);
  }

  @OnEvent(USERS_CHANGED)
  forgetUser(event: UsersChanged): void {
    this.generation++;
    for (const [id, cached] of this.cache)
      if (cached.user.id === event.userId) this.cache.delete(id);
  }
}
