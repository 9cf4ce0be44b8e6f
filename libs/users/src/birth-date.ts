const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2001-02-29 is not one). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  // Date.UTC maps years 0–99 to 1900–1999, so the year is set on its own.
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** Whole years from a YYYY-MM-DD birth date to the UTC calendar date of `today`. */
export function ageOn(birthDate: string, today: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number);
  const todayMonthDay = (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
  const birthdayPassed = todayMonthDay >= month * 100 + day;
  return today.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}

/** The earliest birth date an account may have. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Why a birth date cannot be used (before 1900, future, too young), or undefined when it can. */
export function birthDateProblem(
  birthDate: string,
  today: Date,
  minAge: number,
): string | undefined {
  const todayText = today.toISOString().slice(0, 10);
  if (birthDate < EARLIEST_BIRTH_DATE) return `must be ${EARLIEST_BIRTH_DATE} or later`;
  if (birthDate > todayText) return 'must not be in the future';
  if (ageOn(birthDate, today) < minAge) return `must be at least ${minAge} years ago`;
  return undefined;
}
