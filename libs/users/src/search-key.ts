/**
 * The form names and emails are searched in: NFKC-normalised (fullwidth "Ａ" is "A") and
 * lower-cased, so that a prefix search ignores case and compatibility variants.
 */
export function searchKey(value: string): string {
  return value.normalize('NFKC').toLowerCase().normalize('NFKC');
}

const MAX_CODE_POINT = 0x10ffff;
const SURROGATES = { first: 0xd800, last: 0xdfff };

/**
 * The least string greater than every string starting with `prefix`: its last character moved one
 * code point up (past the surrogates), or null when none exists. `[prefix, bound)` then holds
 * exactly the strings starting with `prefix`, in code point order (which UTF-8 byte order, the
 * database's, follows) without any pattern built from the input.
 */
export function prefixUpperBound(prefix: string): string | null {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop()?.codePointAt(0) ?? MAX_CODE_POINT;
    if (last < MAX_CODE_POINT) {
      const next = last + 1 === SURROGATES.first ? SURROGATES.last + 1 : last + 1;
      return chars.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}
