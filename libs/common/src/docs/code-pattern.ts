const LAST_CODE_POINT = 0x10ffff;
const alternations = new Map<string, string>();

function escape(unit: number): string {
  return `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

function classOf(ranges: readonly [number, number][]): string {
  const parts = ranges.map(([from, to]) =>
    from === to ? escape(from) : `${escape(from)}-${escape(to)}`,
  );
  return `[${parts.join('')}]`;
}

function surrogatePair(codePoint: number): string {
  const text = String.fromCodePoint(codePoint);
  return escape(text.charCodeAt(0)) + escape(text.charCodeAt(1));
}

/**
 * A group matching one character of those `regex` matches, found by trying every code point and
 * written in the ES 5.1 dialect of OpenAPI 3.0 patterns: `\uXXXX` escapes, no `\p{…}`, no need for
 * the `u` flag (characters beyond the BMP as surrogate pairs). A pattern built from the server's
 * own regex says exactly what it accepts, to every client's regex engine.
 */
export function characterAlternation(regex: RegExp): string {
  const single = new RegExp(`^(?:${regex.source})$`, regex.flags.replace(/[gy]/g, ''));
  const key = `${single.source}/${single.flags}`;
  const known = alternations.get(key);
  if (known !== undefined) return known;
  const bmp: [number, number][] = [];
  const astral: string[] = [];
  for (let codePoint = 0; codePoint <= LAST_CODE_POINT; codePoint += 1) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    if (!single.test(String.fromCodePoint(codePoint))) continue;
    if (codePoint > 0xffff) astral.push(surrogatePair(codePoint));
    else if (bmp.length > 0 && bmp[bmp.length - 1][1] === codePoint - 1)
      bmp[bmp.length - 1][1] = codePoint;
    else bmp.push([codePoint, codePoint]);
  }
  const options = [...(bmp.length > 0 ? [classOf(bmp)] : []), ...astral];
  const alternation = `(?:${options.join('|')})`;
  alternations.set(key, alternation);
  return alternation;
}

export interface CodeInputPatternOptions {
  /** The symbols of a code as the contents of a character class, like `A-Za-z0-9`. */
  readonly symbols: string;
  /** One character that may appear anywhere and is ignored (spaces, dashes). */
  readonly separators: RegExp;
  /** How many symbols: `12`, or `4,32` for a range. */
  readonly count: string;
}

/** The pattern of a typed code: `count` symbols, with separators anywhere around and between. */
export function codeInputPattern(options: CodeInputPatternOptions): string {
  const separators = `${characterAlternation(options.separators)}*`;
  return `^${separators}(?:[${options.symbols}]${separators}){${options.count}}$`;
}
