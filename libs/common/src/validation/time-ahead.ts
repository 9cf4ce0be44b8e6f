import { DomainError } from '../errors/domain-error';

export interface TimeAheadRule {
  /** Shortest time from now, in ms (default: any time after now). */
  readonly atLeastMs?: number;
  /** How far ahead it may be, in calendar years. */
  readonly atMostYears?: number;
}

function inWords(ms: number): string {
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return hours === 1 ? '1 hour' : `${hours} hours`;
  return `${Math.ceil(ms / 1000)} seconds`;
}

/** Why `at` is not a time in the future within the rule, or undefined when it is. */
export function timeAheadProblem(
  at: Date,
  now: Date,
  rule: TimeAheadRule = {},
): string | undefined {
  const ahead = at.getTime() - now.getTime();
  if (ahead <= 0) return 'must be in the future';
  if (rule.atLeastMs !== undefined && ahead < rule.atLeastMs) {
    return `must be at least ${inWords(rule.atLeastMs)} ahead`;
  }
  if (rule.atMostYears !== undefined) {
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + rule.atMostYears);
    if (at.getTime() > latest.getTime()) {
      const years = rule.atMostYears === 1 ? 'one year' : `${rule.atMostYears} years`;
      return `must be at most ${years} ahead`;
    }
  }
  return undefined;
}

/** Throws VALIDATION_FAILED naming the field when `at` breaks the rule. */
export function requireTimeAhead(
  field: string,
  at: Date,
  now: Date,
  rule: TimeAheadRule = {},
): void {
  const problem = timeAheadProblem(at, now, rule);
  if (problem !== undefined) throw DomainError.validation([{ field, message: problem }]);
}
