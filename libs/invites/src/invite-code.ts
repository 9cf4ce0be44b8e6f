import { randomInt } from 'node:crypto';
import { codeInputPattern } from '@app/common';

/** Upper-case letters and digits without look-alikes (no 0/O, 1/I/L, U/V). */
export const INVITE_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
/** 12 symbols of 30: 12 × log2(30) ≈ 58.9 bits. */
export const INVITE_CODE_LENGTH = 12;

const GROUP_SIZE = 4;
const NORMALIZED = new RegExp(`^[${INVITE_CODE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`);
const SEPARATORS = /[\s\p{Pd}]/gu;
/** The longest input normalizeInviteCode reads. */
export const LONGEST_INVITE_CODE_INPUT = 64;

/** What normalizeInviteCode accepts (up to LONGEST_INVITE_CODE_INPUT), as an OpenAPI pattern. */
export const INVITE_CODE_INPUT_PATTERN = codeInputPattern({
  symbols: INVITE_CODE_ALPHABET + INVITE_CODE_ALPHABET.toLowerCase(),
  separators: SEPARATORS,
  count: String(INVITE_CODE_LENGTH),
});

/** A new code in its stored (normalized) form, from the operating system's CSPRNG. */
export function generateInviteCode(): string {
  let code = '';
  for (let i = 0; i < INVITE_CODE_LENGTH; i++) {
    code += INVITE_CODE_ALPHABET[randomInt(INVITE_CODE_ALPHABET.length)];
  }
  return code;
}

/**
 * The stored form of what a person typed: case-insensitive, spaces and dashes ignored. Null when
 * it cannot be a code at all.
 */
export function normalizeInviteCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > LONGEST_INVITE_CODE_INPUT) return null;
  const code = input.replace(SEPARATORS, '').toUpperCase();
  return NORMALIZED.test(code) ? code : null;
}

/** The form shown to people: groups of four joined by dashes, like `ABCD-EFGH-JKMN`. */
export function formatInviteCode(code: string): string {
  const groups: string[] = [];
  for (let i = 0; i < code.length; i += GROUP_SIZE) groups.push(code.slice(i, i + GROUP_SIZE));
  return groups.join('-');
}
