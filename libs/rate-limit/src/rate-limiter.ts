import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError } from '@app/common';
import { CounterStore } from './counter-store';
import type { RateLimitDefinition } from './rate-limit.definition';

/**
 * A declared rate limit applied from code rather than a route decorator: for rules that more
 * than one transport shares (a message posted over REST or a socket counts against one limit).
 */
@Injectable()
export class RateLimiter {
  private readonly off: boolean;

  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {
    this.off = config.get('RATE_LIMITS') === 'off';
  }

  /**
   * Counts one use by `subject`; past the limit, throws 429 RATE_LIMITED with the wait. A counter
   * store that fails (Redis down) refuses with SERVICE_UNAVAILABLE: unlimited use is not allowed.
   */
  async consume(limit: RateLimitDefinition, subject: string): Promise<void> {
    if (this.off) return;
    const window = await this.counters.countUse(`${limit.name}:${subject}`, limit.windowMs);
    if (window.count > limit.limit(this.config)) {
      throw DomainError.rateLimited(window.resetInMs / 1000);
    }
  }
}
