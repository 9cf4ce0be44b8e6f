import { timeAheadProblem } from './time-ahead';

describe('timeAheadProblem', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const at = (iso: string) => new Date(iso);

  it('refuses now and the past', () => {
    expect(timeAheadProblem(now, now)).toBe('must be in the future');
    expect(timeAheadProblem(at('2026-12-01T09:59:59Z'), now)).toBe('must be in the future');
    expect(timeAheadProblem(at('2026-12-01T10:00:00.001Z'), now)).toBeUndefined();
  });

  it('holds a shortest lead and a farthest horizon in calendar years', () => {
    const rule = { atLeastMs: 3_600_000, atMostYears: 1 };
    expect(timeAheadProblem(at('2026-12-01T10:59:59Z'), now, rule)).toBe(
      'must be at least 1 hour ahead',
    );
    expect(timeAheadProblem(at('2026-12-01T11:00:00Z'), now, rule)).toBeUndefined();
    expect(timeAheadProblem(at('2027-12-01T10:00:00Z'), now, rule)).toBeUndefined();
    expect(timeAheadProblem(at('2027-12-01T10:00:00.001Z'), now, rule)).toBe(
      'must be at most one year ahead',
    );
    expect(timeAheadProblem(at('2077-01-01T00:00:00Z'), now, { atMostYears: 50 })).toBe(
      'must be at most 50 years ahead',
    );
  });
});
