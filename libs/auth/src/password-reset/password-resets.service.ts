import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, DomainError } from '@app/common';
import { Mailer } from '@app/mail';
import { UsersService } from '@app/users';
import { hashOpaqueToken, isWellFormedOpaqueToken, newOpaqueToken } from '../opaque-token';
import { PasswordHasher } from '../password-hasher';
import { SessionsService } from '../sessions/sessions.service';
import { passwordResetMail } from './password-reset.mail';
import { PasswordResetsRepository } from './password-resets.repository';

const MINUTE_MS = 60_000;
const SHUTDOWN_WAIT_MS = 5_000;

export const RESET_TOKEN_INVALID_MESSAGE =
  'This password reset link is invalid, expired or already used';

/**
 * Password reset by mail. A request answers at once and the rest (looking the account up, storing
 * the token, sending the mail) runs afterwards, so the answer and its timing are the same whether
 * the email has an account or not. A token is 256 random bits stored as its SHA-256, valid
 * PASSWORD_RESET_TTL_MINUTES by the injected clock, and used at most once. A user keeps up to
 * three pending tokens (a fourth request drops the oldest), so requests made by someone else do
 * not cancel the owner's link; a successful reset or a password change ends them all.
 */
@Injectable()
export class PasswordResetsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly resets: PasswordResetsRepository,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts sending a reset link to this email if an account uses it, and returns without waiting.
   * With no way to send mail (production without SMTP_URL) it refuses, for every email alike.
   */
  request(email: string): void {
    if (!this.mailer.available) {
      throw new DomainError('SERVICE_UNAVAILABLE', 'Password reset by mail is not available');
    }
    const work = this.sendLink(email).catch((error: unknown) => {
      this.logger.error(`A password reset mail could not be sent: ${String(error)}`);
    });
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Resolves once every reset request started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
    });
    await Promise.race([this.idle(), timeout]);
    clearTimeout(timer);
  }

  /** A password changed while links were pending: every one of them stops working. */
  cancelFor(userId: string): Promise<void> {
    return this.resets.deleteFor(userId);
  }

  /**
   * Sets the password of the token's user and ends every session (sockets disconnect). The token is
   * taken first in one atomic delete, so of parallel resets with one token exactly one succeeds;
   * the user's other pending tokens go right after, before the (slow) hashing.
   */
  async reset(token: string, newPassword: string): Promise<void> {
    const userId = isWellFormedOpaqueToken(token)
      ? await this.resets.consume(hashOpaqueToken(token), this.clock.now())
      : null;
    const user = userId === null ? null : await this.users.findById(userId);
    if (!user) throw new DomainError('RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    await this.resets.deleteFor(user.id);
    await this.users.setPasswordHash(user.id, await this.hasher.hash(newPassword));
    await this.sessions.revokeAll(user.id, 'password reset');
  }

  /** A banned account gets no link (and the answer does not say so). */
  private async sendLink(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.banned) return;
    const token = newOpaqueToken();
    const ttlMinutes = this.config.get('PASSWORD_RESET_TTL_MINUTES');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + ttlMinutes * MINUTE_MS);
    await this.resets.add(user.id, hashOpaqueToken(token), now, expiresAt);
    const link = `${this.config.get('PASSWORD_RESET_URL')}${token}`;
    await this.mailer.send(
      passwordResetMail({ to: user.email, displayName: user.displayName, link, ttlMinutes }),
    );
    // Only mails written to files are logged with their link: never one sent to a real inbox.
    if (this.mailer.delivery === 'file') this.logger.log(`Password reset link: ${link}`);
  }
}
