import { TypingThrottle } from './typing-throttle';

describe('TypingThrottle', () => {
  it('passes one notice per user and room per interval', () => {
    const throttle = new TypingThrottle(2000);
    expect(throttle.pass('u1', 'r1', 10_000)).toBe(true);
    expect(throttle.pass('u1', 'r1', 11_999)).toBe(false);
    expect(throttle.pass('u1', 'r2', 11_999)).toBe(true);
    expect(throttle.pass('u2', 'r1', 11_999)).toBe(true);
    expect(throttle.pass('u1', 'r1', 12_000)).toBe(true);
  });

  it('passes again when the clock went back', () => {
    const throttle = new TypingThrottle(2000);
    expect(throttle.pass('u1', 'r1', 10_000)).toBe(true);
    expect(throttle.pass('u1', 'r1', 5_000)).toBe(true);
  });
});
