import { CLOCK_SKEW_SECONDS, judgeLifetime } from './access-tokens';

describe('judgeLifetime', () => {
  const now = 1_800_000_000;
  const ttl = 900;

  it.each([
    ['a fresh token', { iat: now, exp: now + ttl }, 'valid'],
    [
      'a token issued within the clock skew ahead',
      { iat: now + CLOCK_SKEW_SECONDS, exp: now + 60 },
      'valid',
    ],
    ['a token whose exp has passed', { iat: now - ttl, exp: now }, 'expired'],
    ['a token without exp', { iat: now }, 'invalid'],
    ['a token without iat', { exp: now + 60 }, 'invalid'],
    ['a token living longer than the TTL', { iat: now, exp: now + ttl + 1 }, 'invalid'],
    ['a token valid for ten years', { iat: now, exp: now + 10 * 365 * 86_400 }, 'invalid'],
    [
      'a token issued beyond the skew ahead',
      { iat: now + CLOCK_SKEW_SECONDS + 1, exp: now + 600 },
      'invalid',
    ],
    ['a token with string times', { iat: String(now), exp: String(now + 60) }, 'invalid'],
    ['a token with fractional times', { iat: now + 0.5, exp: now + 60 }, 'invalid'],
  ])('calls %s %s', (_, payload, verdict) => {
    expect(judgeLifetime(payload, now, ttl)).toBe(verdict);
  });
});
