import { ageOn, birthDateProblem, isCalendarDate } from './birth-date';

describe('birth dates', () => {
  it.each(['2000-01-01', '2000-02-29', '1999-12-31', '0001-01-01'])(
    'accepts the real calendar date %s',
    (value) => {
      expect(isCalendarDate(value)).toBe(true);
    },
  );

  it.each([
    '2001-02-29',
    '2000-13-01',
    '2000-00-10',
    '2000-04-31',
    '2000-1-01',
    '20000101',
    '',
    42,
    null,
  ])('refuses %p, which is not a real YYYY-MM-DD date', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('counts a year only once the birthday has come, in UTC', () => {
    const today = new Date('2026-05-17T00:30:00Z');
    expect(ageOn('2013-05-17', today)).toBe(13);
    expect(ageOn('2013-05-18', today)).toBe(12);
    expect(ageOn('2000-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(25);
    expect(ageOn('2000-02-29', new Date('2026-03-01T12:00:00Z'))).toBe(26);
  });

  it('refuses future dates and people younger than the minimum age', () => {
    const today = new Date('2026-11-21T10:00:00Z');
    expect(birthDateProblem('2026-11-22', today, 13)).toBe('must not be in the future');
    expect(birthDateProblem('2013-11-22', today, 13)).toBe('must be at least 13 years ago');
    expect(birthDateProblem('2013-11-21', today, 13)).toBeUndefined();
    expect(birthDateProblem('2026-11-21', today, 0)).toBeUndefined();
    expect(birthDateProblem('1900-01-01', today, 13)).toBeUndefined();
    expect(birthDateProblem('1899-12-31', today, 13)).toBe('must be 1900-01-01 or later');
    expect(birthDateProblem('0001-01-01', today, 13)).toBe('must be 1900-01-01 or later');
  });
});
