/** The UTC midnight of month/day in `year`; 29 February falls on 28 February in common years. */
function birthdayIn(year: number, month: number, day: number): Date {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1) date.setUTCDate(0);
  return date;
}

/**
 * The owner's next birthday at 00:00 UTC strictly after `now`, from a YYYY-MM-DD birth date: on
 * the birthday itself after midnight, the one of next year. 29 February opens on 28 February in
 * common years.
 */
export function nextBirthday(birthDate: string, now: Date): Date {
  const [, month, day] = birthDate.split('-').map(Number);
  const thisYear = birthdayIn(now.getUTCFullYear(), month, day);
  if (thisYear.getTime() > now.getTime()) return thisYear;
  return birthdayIn(now.getUTCFullYear() + 1, month, day);
}
