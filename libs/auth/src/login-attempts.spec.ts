import { AppConfig, DomainError, loadConfig, ManualClock } from '@app/common';
import { CounterStore, MemoryCounterStore, type WindowCount } from '@app/rate-limit';
import { LoginAttempts } from './login-attempts';

/** The in-memory store, with failure injection: the next calls of increment may throw. */
class FlakyCounters extends CounterStore {
  private failures = 0;

  constructor(private readonly inner: CounterStore) {
    super();
  }

  failNext(): void {
    this.failures += 1;
  }

  increment(key: string, windowMs: number): Promise<WindowCount> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('counter store down (injected)'));
    }
    return this.inner.increment(key, windowMs);
  }

  decrement(key: string): Promise<void> {
    return this.failures > 0 ? this.fail() : this.inner.decrement(key);
  }

  reset(key: string): Promise<void> {
    return this.failures > 0 ? this.fail() : this.inner.reset(key);
  }

  private fail(): Promise<never> {
    this.failures -= 1;
    return Promise.reject(new Error('counter store down (injected)'));
  }
}

const MAX = 3;
const WINDOW_S = 60;

describe('LoginAttempts', () => {
  let clock: ManualClock;
  let counters: FlakyCounters;
  let attempts: LoginAttempts;

  function withEnv(env: Record<string, string>): LoginAttempts {
    return new LoginAttempts(counters, new AppConfig(loadConfig(env)));
  }

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    counters = new FlakyCounters(new MemoryCounterStore(clock));
    attempts = withEnv({
      LOGIN_MAX_FAILURES: String(MAX),
      LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_S),
    });
  });

  async function refusal(address: string, email: string): Promise<DomainError> {
    const error: unknown = await attempts.begin(address, email).catch((e: unknown) => e);
    if (!(error instanceof DomainError)) throw new Error('expected a DomainError');
    return error;
  }

  async function fail(address: string, email: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await attempts.begin(address, email);
  }

  async function succeed(address: string, email: string): Promise<void> {
    await attempts.begin(address, email);
    await attempts.succeeded(address, email);
  }

  it('allows LOGIN_MAX_FAILURES attempts per account, from any addresses, then answers 429 RATE_LIMITED', async () => {
    for (let i = 1; i <= MAX; i++) await fail(`10.0.0.${i}`, 'alice@example.com');

    const error = await refusal('10.0.0.99', 'alice@example.com');

    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(WINDOW_S);
    await expect(attempts.begin('10.0.0.99', 'bob@example.com')).resolves.toBeUndefined();
  });

  it('allows LOGIN_MAX_FAILURES attempts per address, over any accounts, then answers 429 RATE_LIMITED', async () => {
    for (let i = 1; i <= MAX; i++) await fail('10.0.0.1', `user${i}@example.com`);

    expect(await refusal('10.0.0.1', 'new@example.com')).toMatchObject({ code: 'RATE_LIMITED' });
    await expect(attempts.begin('10.0.0.2', 'new@example.com')).resolves.toBeUndefined();
  });

  it('asks to retry when the later of the exceeded windows ends, in whole seconds rounded up', async () => {
    for (let i = 1; i <= MAX; i++) await fail('10.0.0.1', `user${i}@example.com`);
    clock.advance(10_000);
    await fail('10.0.0.2', 'alice@example.com', MAX);
    clock.advance(10_500);

    // The address window ends in 39.5 s, the account window in 49.5 s.
    const error = await refusal('10.0.0.1', 'alice@example.com');

    expect(error.retryAfterSeconds).toBe(50);
  });

  it('counts parallel attempts atomically: none slips past the limit', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => attempts.begin(`10.0.1.${i}`, 'alice@example.com')),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX);
  });

  it('a success clears the account: its earlier failures no longer count', async () => {
    await fail('10.0.0.1', 'alice@example.com');
    await fail('10.0.0.2', 'alice@example.com');
    await succeed('10.0.0.3', 'alice@example.com');

    for (let i = 4; i < 4 + MAX; i++) await fail(`10.0.0.${i}`, 'alice@example.com');
    expect(await refusal('10.0.0.99', 'alice@example.com')).toMatchObject({
      code: 'RATE_LIMITED',
    });
  });

  it('a success gives back only its own count of the address: earlier failures there still count', async () => {
    await fail('10.0.0.1', 'user1@example.com');
    await fail('10.0.0.1', 'user2@example.com');
    await succeed('10.0.0.1', 'alice@example.com');

    await fail('10.0.0.1', 'user3@example.com');
    expect(await refusal('10.0.0.1', 'user4@example.com')).toMatchObject({
      code: 'RATE_LIMITED',
    });
  });

  it('the window ends LOGIN_FAILURE_WINDOW_SECONDS after its first attempt: counting starts afresh', async () => {
    await fail('10.0.0.1', 'alice@example.com', MAX);
    clock.advance(WINDOW_S * 1000 - 1);
    expect(await refusal('10.0.0.1', 'alice@example.com')).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    });

    clock.advance(1);

    await expect(attempts.begin('10.0.0.1', 'alice@example.com')).resolves.toBeUndefined();
  });

  it('RATE_LIMITS=off counts nothing and refuses nothing', async () => {
    attempts = withEnv({ RATE_LIMITS: 'off', LOGIN_MAX_FAILURES: '1' });
    const increment = jest.spyOn(counters, 'increment');

    await fail('10.0.0.1', 'alice@example.com', 5);
    await attempts.succeeded('10.0.0.1', 'alice@example.com');

    expect(increment).not.toHaveBeenCalled();
  });

  it('refuses the attempt with SERVICE_UNAVAILABLE when the counters cannot be read (fails closed)', async () => {
    counters.failNext();

    await expect(attempts.begin('10.0.0.1', 'alice@example.com')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The rate limit store does not answer',
    });
  });

  it('keeps a sign-in that succeeded when the counters cannot be given back', async () => {
    await attempts.begin('10.0.0.1', 'alice@example.com');
    counters.failNext();
    await expect(attempts.succeeded('10.0.0.1', 'alice@example.com')).resolves.toBeUndefined();
  });
});
