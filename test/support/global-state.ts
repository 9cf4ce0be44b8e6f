import type { OwnRedis } from './redis-server';

interface GlobalTestState {
  redis?: OwnRedis;
}

/** State the global setup hands to the global teardown (Jest shares only globalThis between them). */
export function testRunState(): GlobalTestState {
  const holder = globalThis as typeof globalThis & { __dobkonektorTests?: GlobalTestState };
  holder.__dobkonektorTests ??= {};
  return holder.__dobkonektorTests;
}
