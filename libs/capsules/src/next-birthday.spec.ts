import { nextBirthday } from './next-birthday';

const at = (iso: string): Date => new Date(iso);

describe('nextBirthday', () => {
  it('is this year’s birthday at 00:00 UTC when it is still ahead', () => {
    expect(nextBirthday('1990-05-17', at('2026-03-01T12:00:00Z'))).toEqual(
      at('2026-05-17T00:00:00Z'),
    );
  });

  it('is next year’s when this year’s has passed', () => {
    expect(nextBirthday('1990-05-17', at('2026-11-21T10:00:00Z'))).toEqual(
      at('2027-05-17T00:00:00Z'),
    );
  });

  it('on the birthday itself is next year’s, even one millisecond past midnight', () => {
    expect(nextBirthday('1990-05-17', at('2026-05-17T00:00:00.001Z'))).toEqual(
      at('2027-05-17T00:00:00Z'),
    );
    expect(nextBirthday('1990-05-17', at('2026-05-17T00:00:00.000Z'))).toEqual(
      at('2027-05-17T00:00:00Z'),
    );
  });

  it('the day before, one millisecond before midnight, is the next midnight', () => {
    expect(nextBirthday('1990-05-17', at('2026-05-16T23:59:59.999Z'))).toEqual(
      at('2026-05-17T00:00:00Z'),
    );
  });

  it('opens a 29 February birthday on 28 February in common years and on 29 February in leap years', () => {
    expect(nextBirthday('2000-02-29', at('2026-11-21T10:00:00Z'))).toEqual(
      at('2027-02-28T00:00:00Z'),
    );
    expect(nextBirthday('2000-02-29', at('2027-03-01T00:00:00Z'))).toEqual(
      at('2028-02-29T00:00:00Z'),
    );
    expect(nextBirthday('2000-02-29', at('2028-02-28T12:00:00Z'))).toEqual(
      at('2028-02-29T00:00:00Z'),
    );
    expect(nextBirthday('2000-02-29', at('2027-02-28T00:00:01Z'))).toEqual(
      at('2028-02-29T00:00:00Z'),
    );
  });

  it('rolls a 31 December birthday over the new year, and 1 January after it', () => {
    expect(nextBirthday('1985-12-31', at('2026-12-31T00:00:01Z'))).toEqual(
      at('2027-12-31T00:00:00Z'),
    );
    expect(nextBirthday('1985-01-01', at('2026-12-31T23:00:00Z'))).toEqual(
      at('2027-01-01T00:00:00Z'),
    );
  });
});
