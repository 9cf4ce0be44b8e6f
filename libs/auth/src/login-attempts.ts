import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { CounterStore, tooManyRequests } from '@app/rate-limit';

/**
 * Counts failed logins per account and per address in a window; past LOGIN_MAX_FAILURES either
 * one answers 429 until the window ends. Rate limits off (RATE_LIMITS=off) turn this off too.
 */
@Injectable()
export class LoginAttempts {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  private keys(address: string, email: string): string[] {
    return [`login-fail:address:${address}`, `login-fail:account:${email}`];
  }

  private get off(): boolean {
    return this.config.get('RATE_LIMITS') === 'off';
  }

  async assertAllowed(address: string, email: string): Promise<void> {
    if (this.off) return;
    const max = this.config.get('LOGIN_MAX_FAILURES');
    for (const key of this.keys(address, email)) {
      const { count, resetInMs } = await this.counters.peek(key);
      if (count >= max) throw tooManyRequests(resetInMs / 1000);
    }
  }

  async failed(address: string, email: string): Promise<void> {
    if (this.off) return;
    const windowMs = this.config.get('LOGIN_FAILURE_WINDOW_SECONDS') * 1000;
    await Promise.all(
      this.keys(address, email).map((key) => this.counters.increment(key, windowMs)),
    );
  }

  async succeeded(email: string): Promise<void> {
    await this.counters.reset(`login-fail:account:${email}`);
  }
}
