import { BSONRegExp } from 'bson';
import { badValue } from '../errors';
import { regexOf, stringValue } from '../bson/values';

const cache = new Map<string, RegExp>();

/** Removes the whitespace and `#` comments that PCRE's extended (x) option ignores. */
function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/** A JS RegExp for a MongoDB (PCRE) pattern and options; only i, m, s, x and u are meaningful. */
export function toJsRegExp(pattern: string, options: string): RegExp {
  const cacheKey = `${options}/${pattern}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  const all = options + (inline?.[1] ?? '');
  if (inline) source = source.slice(inline[0].length);
  for (const flag of ['i', 'm', 's', 'u']) if (all.includes(flag)) flags += flag;
  if (all.includes('x')) source = stripExtended(source);
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    throw badValue(`Regular expression is invalid: ${(error as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(cacheKey, regex);
  return regex;
}

export function regexFromValue(value: BSONRegExp | RegExp, extraOptions = ''): RegExp {
  const { pattern, options } = regexOf(value);
  return toJsRegExp(pattern, options + extraOptions);
}

/** True when the value is a string (or symbol) the regex finds a match in. */
export function regexMatches(regex: RegExp, value: unknown): boolean {
  const text = stringValue(value);
  if (text === undefined) return false;
  regex.lastIndex = 0;
  return regex.test(text);
}
