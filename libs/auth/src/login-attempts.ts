import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError } from '@app/common';
import { CounterStore } from '@app/rate-limit';

/**
 * Limits failed logins per account and per address within a window: past LOGIN_MAX_FAILURES
 * either one answers 429 until the window ends. Each attempt is counted before the password is
 * checked (an atomic increment), so parallel guesses cannot slip past the limit; a success gives
 * its count back. RATE_LIMITS=off turns this off.
 */
@Injectable()
export class LoginAttempts {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  private keys(address: string, email: string): [string, string] {
    return [`login-fail:address:${address}`, `login-fail:account:${email}`];
  }

  private get off(): boolean {
    return this.config.get('RATE_LIMITS') === 'off';
  }

  /** Counts an attempt; 429 when it is one too many for the address or the account. */
  async begin(address: string, email: string): Promise<void> {
    if (this.off) return;
    const windowMs = this.config.get('LOGIN_FAILURE_WINDOW_SECONDS') * 1000;
    const max = this.config.get('LOGIN_MAX_FAILURES');
    const counts = await Promise.all(
      this.keys(address, email).map((key) => this.counters.countUse(key, windowMs)),
    );
    const over = counts.filter(({ count }) => count > max);
    if (over.length > 0)
      throw DomainError.rateLimited(Math.max(...over.map((c) => c.resetInMs)) / 1000);
  }

  /**
   * The attempt succeeded: it is not a failure after all, and the account starts afresh. Best
   * effort: when the store fails now, the sign-in stands and the counts lapse with their window.
   */
  async succeeded(address: string, email: string): Promise<void> {
    if (this.off) return;
    const [addressKey, accountKey] = this.keys(address, email);
    await Promise.all([this.counters.decrement(addressKey), this.counters.reset(accountKey)]).catch(
      () => undefined,
    );
  }
}
