import { DomainError } from '@app/common';
import { checkReportReason, checkResolutionNote } from './report-rules';

function problemOf(check: () => unknown): unknown {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('no error');
}

describe('report rules', () => {
  it('stores a reason trimmed with control characters removed, line feeds and tabs kept', () => {
    expect(checkReportReason('  spam\u0000 and\r\nscam\t ')).toBe('spam and\nscam');
  });

  it('counts code points: 500 emoji pass, 501 characters do not', () => {
    expect(checkReportReason('😀'.repeat(500))).toHaveLength(1000);
    expect(problemOf(() => checkReportReason('x'.repeat(501)))).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'reason', message: 'reason must be at most 500 characters' }],
    });
  });

  it('refuses an empty or non-string reason, naming the field', () => {
    for (const raw of ['', '  \u0007 ', 42, null, undefined]) {
      expect(problemOf(() => checkReportReason(raw))).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'reason' }],
      });
    }
  });

  it('takes an absent note as none, and checks a given one by the same rule', () => {
    expect(checkResolutionNote(undefined)).toBeNull();
    expect(checkResolutionNote(null)).toBeNull();
    expect(checkResolutionNote(' ok ')).toBe('ok');
    expect(problemOf(() => checkResolutionNote(' '))).toMatchObject({
      details: [{ field: 'note' }],
    });
  });
});
