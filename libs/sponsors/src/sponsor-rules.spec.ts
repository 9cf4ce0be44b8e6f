import { DomainError } from '@app/common';
import { parseRoomKey, type RoomRef } from '@app/users';
import type { SponsorRecord } from './sponsor.record';
import { isEligible, isRoomKey, isSponsorUrl, requireWindow } from './sponsor-rules';

const NOW = new Date('2026-11-21T10:00:00Z');

function sponsor(overrides: Partial<SponsorRecord> = {}): SponsorRecord {
  return {
    id: '665f1c2e9b1d8c0012345678',
    name: 'Cake',
    text: 'Cake for all',
    imageUrl: null,
    linkUrl: 'https://example.com',
    startsAt: new Date('2026-11-01T00:00:00Z'),
    endsAt: new Date('2026-12-01T00:00:00Z'),
    active: true,
    weight: 1,
    displaySeconds: 5,
    roomKinds: [],
    roomKeys: [],
    deletedAt: null,
    createdBy: null,
    createdAt: new Date('2026-10-01T00:00:00Z'),
    ...overrides,
  };
}

function room(key: string): RoomRef {
  const parsed = parseRoomKey(key);
  if (!parsed) throw new Error(`not a room key: ${key}`);
  return parsed;
}

describe('sponsor rules', () => {
  it('shows an untargeted, active, live sponsor in every room inside [startsAt, endsAt)', () => {
    for (const key of ['day-1990-05-17', 'date-05-17', 'year-1990']) {
      expect(isEligible(sponsor(), room(key), NOW)).toBe(true);
    }
    expect(isEligible(sponsor({ startsAt: NOW }), room('year-1990'), NOW)).toBe(true);
    expect(isEligible(sponsor({ endsAt: NOW }), room('year-1990'), NOW)).toBe(false);
    expect(
      isEligible(sponsor({ startsAt: new Date(NOW.getTime() + 1) }), room('year-1990'), NOW),
    ).toBe(false);
  });

  it('never shows an inactive or deleted sponsor', () => {
    expect(isEligible(sponsor({ active: false }), room('year-1990'), NOW)).toBe(false);
    expect(isEligible(sponsor({ deletedAt: NOW }), room('year-1990'), NOW)).toBe(false);
  });

  it('shows a targeted sponsor where its kinds or its keys match (either suffices)', () => {
    const targeted = sponsor({ roomKinds: ['date'], roomKeys: ['year-1985'] });
    expect(isEligible(targeted, room('date-05-17'), NOW)).toBe(true);
    expect(isEligible(targeted, room('year-1985'), NOW)).toBe(true);
    expect(isEligible(targeted, room('year-1990'), NOW)).toBe(false);
    expect(isEligible(targeted, room('day-1990-05-17'), NOW)).toBe(false);
  });

  it('takes http(s) URLs only', () => {
    for (const url of [
      'https://example.com',
      'http://example.com:8080/a?b=c#d',
      'https://a.b/x-y',
      "https://a.b/p%C3%A9/(x)?q=[1]&r=a,b;c=d~e*f!g'h@i$j+k",
    ]) {
      expect(isSponsorUrl(url)).toBe(true);
    }
    for (const url of [
      'ftp://example.com',
      'javascript:alert(1)',
      'https://',
      'example.com',
      'https://a b',
      'HTTPS://EXAMPLE.COM',
      'https://ex.com:99999/',
      'https://ex.com/\u0000\u0001',
      'https://ex.com/\ud800',
      'https://ex.com/<script>',
      'https://ex.com/"quoted"',
      42,
    ]) {
      expect(isSponsorUrl(url)).toBe(false);
    }
    expect(isSponsorUrl(`https://example.com/${'x'.repeat(2048)}`)).toBe(false);
  });

  it('takes keys of real rooms only', () => {
    expect(['day-2000-02-29', 'date-02-29', 'year-1990'].every(isRoomKey)).toBe(true);
    expect(['day-2001-02-29', 'date-02-30', 'year-0000', 'week-1', ''].some(isRoomKey)).toBe(false);
  });

  it('refuses a window that does not open before it closes, naming endsAt', () => {
    expect(() => {
      requireWindow(NOW, new Date(NOW.getTime() + 1));
    }).not.toThrow();
    for (const endsAt of [NOW, new Date(NOW.getTime() - 1)]) {
      expect(() => {
        requireWindow(NOW, endsAt);
      }).toThrow(
        DomainError.validation([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]),
      );
    }
  });
});
