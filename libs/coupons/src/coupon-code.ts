import { randomInt } from 'node:crypto';
import { codeInputPattern } from '@app/common';

/** Upper-case letters and digits without look-alikes (no 0/O, 1/I/L, U/V). */
export const COUPON_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
/** 12 symbols of 29: 12 × log2(29) ≈ 58 bits. */
const GENERATED_LENGTH = 12;
const SEPARATORS = /[\s\p{Pd}]/gu;

/** What an admin may choose as a code, once normalized: 4–32 letters and digits. */
export const COUPON_CODE_PATTERN = /^[A-Z0-9]{4,32}$/;

/** What an admin may type as a code (COUPON_CODE_PATTERN once normalized), as an OpenAPI pattern. */
export const COUPON_CODE_INPUT_PATTERN = codeInputPattern({
  symbols: 'A-Za-z0-9',
  separators: SEPARATORS,
  count: '4,32',
});

/**
 * The stored form of what a person typed: case-insensitive, spaces and dashes ignored, so
 * "welcome-2026 " redeems WELCOME2026 (the same rule as invite codes).
 */
export function normalizeCouponCode(code: string): string {
  return code.replace(SEPARATORS, '').toUpperCase();
}

/** A new code from the operating system's CSPRNG, in its stored form. */
export function generateCouponCode(): string {
  let code = '';
  for (let i = 0; i < GENERATED_LENGTH; i += 1) {
    code += COUPON_CODE_ALPHABET[randomInt(COUPON_CODE_ALPHABET.length)];
  }
  return code;
}
