import {
  COUPON_CODE_ALPHABET,
  COUPON_CODE_INPUT_PATTERN,
  COUPON_CODE_PATTERN,
  generateCouponCode,
  normalizeCouponCode,
} from './coupon-code';

describe('coupon codes', () => {
  it('generates 12 symbols of an alphabet without look-alikes, different each time', () => {
    const codes = Array.from({ length: 200 }, () => generateCouponCode());
    for (const code of codes) {
      expect(code).toMatch(new RegExp(`^[${COUPON_CODE_ALPHABET}]{12}$`));
      expect(code).toMatch(COUPON_CODE_PATTERN);
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(COUPON_CODE_ALPHABET).not.toMatch(/[01OILUV]/);
  });

  it('compares codes ignoring case, spaces and dashes', () => {
    expect(normalizeCouponCode(' welcome-2026 ')).toBe('WELCOME2026');
    expect(normalizeCouponCode('K7QM R4TX–9PWC')).toBe('K7QMR4TX9PWC');
  });

  it.each(['ABC', 'A'.repeat(33), 'WELCOME_2026', 'ÉTÉ2026'])(
    'refuses %p as an admin-chosen code',
    (code) => {
      expect(normalizeCouponCode(code)).not.toMatch(COUPON_CODE_PATTERN);
    },
  );

  it('documents what an admin may type with a pattern that agrees with the normalized rule', () => {
    const documented = new RegExp(COUPON_CODE_INPUT_PATTERN);
    const inputs = [
      'WELCOME2026',
      ' welcome-2026 ',
      'K7QM R4TX\u20139PWC',
      'ABC',
      'A-B-C-D',
      'A'.repeat(32),
      'A'.repeat(33),
      `--${'a '.repeat(32)}`,
      'WELCOME_2026',
      'ÉTÉ2026',
      '\t0a1b\u00A0',
      '\u{10EAD}ABCD',
      '',
    ];
    for (const input of inputs) {
      expect({ input, documented: documented.test(input) }).toEqual({
        input,
        documented: COUPON_CODE_PATTERN.test(normalizeCouponCode(input)),
      });
    }
  });
});
