export { CounterStore, MemoryCounterStore, type WindowCount } from './counter-store';
export { RateLimit } from './rate-limit.decorator';
export { RateLimitModule } from './rate-limit.module';
export { defineRateLimit, type RateLimitDefinition } from './rate-limit.definition';
export { RateLimiter } from './rate-limiter';
