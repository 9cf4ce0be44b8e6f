import { DomainError, type ErrorDetail } from '@app/common';
import type { DayTotal, TimeSpan } from '@app/database';
import { isCalendarDate } from '@app/users';

const DAY_MS = 86_400_000;

/** The longest range the statistics answer, in days (both ends included). */
export const STATS_MAX_DAYS = 366;

/** The range when none is given: this many days, ending today (UTC). */
export const STATS_DEFAULT_DAYS = 30;

/** A range of whole UTC days, both ends included, with the span of time it covers. */
export interface StatsRange {
  readonly from: string;
  readonly to: string;
  /** Every day of the range, in order. */
  readonly days: readonly string[];
  /** [from 00:00 UTC, the day after `to` 00:00 UTC). */
  readonly span: TimeSpan;
}

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The range of `from` and `to` (YYYY-MM-DD, UTC days, both included): `to` defaults to today,
 * `from` to STATS_DEFAULT_DAYS days ending at `to`. 400 VALIDATION_FAILED naming the field when a
 * day is not a calendar date, `from` is after `to`, or the range is longer than STATS_MAX_DAYS.
 */
export function statsRange(
  from: string | undefined,
  to: string | undefined,
  now: Date,
): StatsRange {
  const malformed: ErrorDetail[] = [];
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isCalendarDate(value)) {
      malformed.push({
        field,
        message: `${field} must be a real calendar date written YYYY-MM-DD`,
      });
    }
  }
  if (malformed.length > 0) throw DomainError.validation(malformed);
  const last = to ?? dayOf(now.getTime());
  const first = from ?? dayOf(dayStart(last) - (STATS_DEFAULT_DAYS - 1) * DAY_MS);
  const start = dayStart(first);
  const end = dayStart(last) + DAY_MS;
  if (start >= end) {
    throw DomainError.validation([{ field: 'from', message: 'from must not be after to' }]);
  }
  const count = Math.round((end - start) / DAY_MS);
  if (count > STATS_MAX_DAYS) {
    throw DomainError.validation([
      { field: 'to', message: `the range from from to to must be at most ${STATS_MAX_DAYS} days` },
    ]);
  }
  const days = Array.from({ length: count }, (_, index) => dayOf(start + index * DAY_MS));
  return { from: first, to: last, days, span: { start: new Date(start), end: new Date(end) } };
}

/** The day totals of the range in day order, 0 for a day without any. */
export function zeroFilled(range: StatsRange, totals: readonly DayTotal[]): number[] {
  const byDay = new Map(totals.map((total) => [total.day, total.total]));
  return range.days.map((day) => byDay.get(day) ?? 0);
}
