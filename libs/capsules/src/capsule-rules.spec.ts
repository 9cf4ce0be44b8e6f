import { DomainError } from '@app/common';
import { CAPSULE_MESSAGE_MAX, checkCapsuleInput } from './capsule-rules';

const NOW = new Date('2026-11-21T10:00:00Z');
const HOUR = 3_600_000;

function detailsOf(run: () => unknown): unknown[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return [...(error as DomainError).details];
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('checkCapsuleInput', () => {
  it('keeps the message trimmed, control characters removed, and the deliverAt given', () => {
    const deliverAt = new Date(NOW.getTime() + HOUR);
    expect(checkCapsuleInput({ message: ' \u0007hi\r\nthere\u0000 ', deliverAt }, NOW)).toEqual({
      message: 'hi\nthere',
      opening: { deliverAt },
    });
  });

  it('accepts openOn next-birthday instead of deliverAt', () => {
    expect(checkCapsuleInput({ message: 'x', openOn: 'next-birthday' }, NOW)).toEqual({
      message: 'x',
      opening: { openOn: 'next-birthday' },
    });
  });

  it('accepts exactly 1 hour and exactly 50 years ahead, and 5000 characters', () => {
    const message = '😀'.repeat(CAPSULE_MESSAGE_MAX);
    for (const deliverAt of [new Date(NOW.getTime() + HOUR), new Date('2076-11-21T10:00:00Z')]) {
      expect(checkCapsuleInput({ message, deliverAt }, NOW).opening).toEqual({ deliverAt });
    }
  });

  it('refuses a deliverAt in the past, under 1 hour or over 50 years ahead, naming deliverAt', () => {
    const cases: [Date, string][] = [
      [new Date(NOW.getTime() - 1), 'deliverAt must be in the future'],
      [new Date(NOW.getTime() + HOUR - 1), 'deliverAt must be at least 1 hour ahead'],
      [new Date('2076-11-21T10:00:00.001Z'), 'deliverAt must be at most 50 years ahead'],
    ];
    for (const [deliverAt, message] of cases) {
      expect(detailsOf(() => checkCapsuleInput({ message: 'x', deliverAt }, NOW))).toEqual([
        { field: 'deliverAt', message },
      ]);
    }
  });

  it('needs exactly one of deliverAt and openOn', () => {
    expect(detailsOf(() => checkCapsuleInput({ message: 'x' }, NOW))).toEqual([
      { field: 'deliverAt', message: 'deliverAt or openOn is required' },
    ]);
    const both = {
      message: 'x',
      deliverAt: new Date('2030-01-01'),
      openOn: 'next-birthday' as const,
    };
    expect(detailsOf(() => checkCapsuleInput(both, NOW))).toEqual([
      { field: 'openOn', message: 'openOn cannot be combined with deliverAt' },
    ]);
  });

  it('refuses an empty or too long message, and names every bad field at once', () => {
    expect(detailsOf(() => checkCapsuleInput({ message: ' \u0000 ' }, NOW))).toEqual([
      { field: 'message', message: 'message must hold at least 1 character besides spaces' },
      { field: 'deliverAt', message: 'deliverAt or openOn is required' },
    ]);
    const long = { message: 'x'.repeat(CAPSULE_MESSAGE_MAX + 1), openOn: 'next-birthday' as const };
    expect(detailsOf(() => checkCapsuleInput(long, NOW))).toEqual([
      { field: 'message', message: 'message must be at most 5000 characters' },
    ]);
  });
});
