export { CounterStore, type WindowCount } from './counter-store';
export { RateLimit } from './rate-limit.decorator';
export { tooManyRequests } from './rate-limit.guard';
export { RateLimitModule } from './rate-limit.module';
