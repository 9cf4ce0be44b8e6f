/** Unicode control characters (C0, DEL, C1) except tab and line feed, which are kept. */
const CONTROL = /[^\P{Cc}\t\n]/gu;
/** A UTF-16 surrogate without its pair: not a character, and no store keeps it as sent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export type PlainText = { ok: true; text: string } | { ok: false; problem: string };

/**
 * A user's free text as stored (a message, a capsule): line breaks unified to "\n" (CRLF and lone
 * CR alike), every other control character but tab removed, a lone surrogate replaced by U+FFFD
 * (as storing it would; the answer then equals what is stored), then trimmed. It must then hold 1 to
 * `maxLength` characters, counted as code points so that an emoji is one character. The text stays
 * plain text: nothing is escaped here, clients render it as text. `field` names it in the problem.
 */
export function normalizePlainText(raw: unknown, field: string, maxLength: number): PlainText {
  if (typeof raw !== 'string') return { ok: false, problem: `${field} must be a string` };
  const text = raw
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .trim();
  const length = Array.from(text).length;
  if (length === 0) {
    return { ok: false, problem: `${field} must hold at least 1 character besides spaces` };
  }
  if (length > maxLength) {
    return { ok: false, problem: `${field} must be at most ${maxLength} characters` };
  }
  return { ok: true, text };
}
