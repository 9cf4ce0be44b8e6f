import { DomainError } from '@app/common';
import { STATS_MAX_DAYS, statsRange, zeroFilled } from './stats-range';

const NOW = new Date('2026-03-01T23:30:00Z');

function problem(from: string | undefined, to: string | undefined): unknown {
  try {
    statsRange(from, to, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    return { code: domain.code, fields: domain.details.map((detail) => detail.field) };
  }
  throw new Error('no error');
}

describe('statsRange', () => {
  it('defaults to the 30 UTC days ending today by the clock', () => {
    const range = statsRange(undefined, undefined, NOW);
    expect(range.from).toBe('2026-01-31');
    expect(range.to).toBe('2026-03-01');
    expect(range.days).toHaveLength(30);
    expect(range.days.slice(-2)).toEqual(['2026-02-28', '2026-03-01']);
    expect(range.span).toEqual({
      start: new Date('2026-01-31T00:00:00Z'),
      end: new Date('2026-03-02T00:00:00Z'),
    });
  });

  it('takes both days as given, both included, and a from alone up to today', () => {
    expect(statsRange('2024-02-28', '2024-03-01', NOW).days).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(statsRange('2026-03-01', '2026-03-01', NOW).days).toEqual(['2026-03-01']);
    expect(statsRange('2026-02-27', undefined, NOW).days).toHaveLength(3);
    expect(statsRange(undefined, '2025-12-31', NOW).from).toBe('2025-12-02');
  });

  it(`allows ${STATS_MAX_DAYS} days and refuses one more, naming to`, () => {
    expect(statsRange('2024-01-01', '2024-12-31', NOW).days).toHaveLength(366);
    expect(problem('2023-12-31', '2024-12-31')).toEqual({
      code: 'VALIDATION_FAILED',
      fields: ['to'],
    });
  });

  it('refuses from after to, naming from', () => {
    expect(problem('2026-02-02', '2026-02-01')).toEqual({
      code: 'VALIDATION_FAILED',
      fields: ['from'],
    });
    expect(problem('2026-03-02', undefined)).toEqual({
      code: 'VALIDATION_FAILED',
      fields: ['from'],
    });
  });

  it('refuses days that are not calendar dates written YYYY-MM-DD, naming each', () => {
    for (const bad of ['2026-02-29', '2026-2-01', '2026-02-01T00:00:00Z', '', 'yesterday']) {
      expect(problem(bad, undefined)).toEqual({ code: 'VALIDATION_FAILED', fields: ['from'] });
    }
    expect(problem('x', '2026-13-01')).toEqual({
      code: 'VALIDATION_FAILED',
      fields: ['from', 'to'],
    });
  });
});

describe('zeroFilled', () => {
  it('gives every day of the range its total in order, 0 where there is none', () => {
    const range = statsRange('2026-02-26', '2026-03-01', NOW);
    const totals = [
      { day: '2026-03-01', total: 4 },
      { day: '2026-02-27', total: 2 },
    ];
    expect(zeroFilled(range, totals)).toEqual([0, 2, 0, 4]);
  });
});
