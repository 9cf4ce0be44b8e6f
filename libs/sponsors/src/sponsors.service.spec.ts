import { DomainError, ManualClock } from '@app/common';
import type { RoomsService } from '@app/rooms';
import { parseRoomKey, type RoomRef } from '@app/users';
import type { SponsorInput } from './sponsor.record';
import type { SponsorsRepository } from './sponsors.repository';
import { FakeSponsorsRepository } from './sponsors.repository.fake';
import { SponsorsService } from './sponsors.service';
import { RandomSource } from './weighted-pick';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const HOUR = 3_600_000;
const VIEWER = { userId: '665f1c2e9b1d8c0012345678', sessionId: 'session-one-abcdefghijk' };

class CountingRandom extends RandomSource {
  draws = 0;

  next(): number {
    this.draws += 1;
    return 0.5;
  }
}

function room(key: string): RoomRef {
  const parsed = parseRoomKey(key);
  if (!parsed) throw new Error(`not a room key: ${key}`);
  return parsed;
}

function input(overrides: Partial<SponsorInput> = {}): SponsorInput {
  return {
    name: 'Cake',
    text: 'Cake for all',
    linkUrl: 'https://example.com',
    startsAt: new Date(NOW - HOUR),
    endsAt: new Date(NOW + HOUR),
    ...overrides,
  };
}

describe('SponsorsService', () => {
  let repository: FakeSponsorsRepository;
  let random: CountingRandom;
  let rooms: { requireMember: jest.Mock };
  let service: SponsorsService;

  beforeEach(() => {
    repository = new FakeSponsorsRepository();
    random = new CountingRandom();
    rooms = { requireMember: jest.fn((_userId: string, key: string) => room(key)) };
    service = new SponsorsService(
      repository as unknown as SponsorsRepository,
      rooms as unknown as RoomsService,
      random,
      new ManualClock(NOW),
    );
  });

  it('creates with the defaults: weight 1, 5 seconds, active, every room, targets deduplicated', async () => {
    const created = await service.create(input({ roomKinds: ['day', 'day'] }), null);
    expect(created).toMatchObject({
      weight: 1,
      displaySeconds: 5,
      active: true,
      imageUrl: null,
      roomKinds: ['day'],
      roomKeys: [],
      createdAt: new Date(NOW),
    });
  });

  it('stores name and text trimmed, without control characters, and refuses blank ones', async () => {
    const created = await service.create(
      input({ name: ' Cake\u0007 ', text: 'Line\r\nTwo ' }),
      null,
    );
    expect(created).toMatchObject({ name: 'Cake', text: 'Line\nTwo' });
    await expect(
      service.create(input({ name: '   ', text: '\u0000' }), null),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'name' }, { field: 'text' }],
    });
    await expect(service.update(created.id, { name: ' ' })).rejects.toMatchObject({
      details: [{ field: 'name' }],
    });
  });

  it('shows a sponsor once per session and room, with one draw, and records the impression', async () => {
    const sponsor = await service.create(input(), null);
    const shown = await service.offer(VIEWER, 'year-1990');
    expect(shown).toEqual({
      id: sponsor.id,
      name: 'Cake',
      text: 'Cake for all',
      imageUrl: null,
      linkUrl: 'https://example.com',
      displaySeconds: 5,
    });
    expect(random.draws).toBe(1);
    expect(rooms.requireMember).toHaveBeenCalledWith(VIEWER.userId, 'year-1990');
    expect(await service.offer(VIEWER, 'year-1990')).toBeNull();
    expect(await service.offer({ ...VIEWER, sessionId: 'other' }, 'year-1990')).not.toBeNull();
    expect(repository.impressions).toHaveLength(2);
  });

  it('lets only one of parallel entries of a session into a room show a sponsor', async () => {
    await service.create(input(), null);
    const shown = await Promise.all(
      Array.from({ length: 20 }, () => service.offerIn(room('year-1990'), VIEWER)),
    );
    expect(shown.filter((s) => s !== null)).toHaveLength(1);
    expect(repository.impressions).toHaveLength(1);
  });

  it('shows nothing and records nothing when no sponsor is eligible', async () => {
    await service.create(input({ active: false }), null);
    await service.create(input({ roomKeys: ['year-1985'] }), null);
    expect(await service.offerIn(room('year-1990'), VIEWER)).toBeNull();
    expect(repository.impressions).toHaveLength(0);
    expect(random.draws).toBe(0);
  });

  it('propagates the membership refusal of RoomsService', async () => {
    rooms.requireMember.mockRejectedValue(DomainError.forbidden('no'));
    await expect(service.offer(VIEWER, 'year-1990')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('counts a click once per impression of the session, else 404', async () => {
    const sponsor = await service.create(input(), null);
    await expect(service.click(VIEWER, sponsor.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.offerIn(room('year-1990'), VIEWER);
    await service.offerIn(room('date-05-17'), VIEWER);
    await service.click(VIEWER, sponsor.id);
    await service.click(VIEWER, sponsor.id);
    await expect(service.click(VIEWER, sponsor.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      service.click({ ...VIEWER, sessionId: 'other' }, sponsor.id),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await service.stats(sponsor.id)).toMatchObject({ impressions: 2, clicks: 2, ctr: 1 });
  });

  it('keeps the window valid on change and refuses an empty change', async () => {
    const sponsor = await service.create(input(), null);
    await expect(service.update(sponsor.id, {})).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      service.update(sponsor.id, { endsAt: new Date(NOW - 2 * HOUR) }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'endsAt' }] });
    expect(await service.update(sponsor.id, { weight: 5 })).toMatchObject({ weight: 5 });
  });

  it('answers 409 when two changes of the window cross, never storing startsAt >= endsAt', async () => {
    const created = await service.create(input(), null);
    const [later, earlier] = await Promise.allSettled([
      service.update(created.id, { startsAt: new Date(NOW + HOUR / 2) }),
      service.update(created.id, { endsAt: new Date(NOW - HOUR / 2) }),
    ]);
    expect(later.status).toBe('fulfilled');
    expect(earlier).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT' } });
    const stored = await repository.findById(created.id);
    expect(stored?.startsAt.getTime()).toBe(NOW + HOUR / 2);
    expect(stored?.endsAt.getTime()).toBe(NOW + HOUR);
  });

  it('answers 404 for changes, deletes and stats of unknown sponsors, and changes of deleted ones', async () => {
    const missing = '0123456789abcdef01234567';
    await expect(service.update(missing, { weight: 2 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.delete(missing)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.stats(missing)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const sponsor = await service.create(input(), null);
    await service.delete(sponsor.id);
    await expect(service.update(sponsor.id, { weight: 2 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.update(sponsor.id, { startsAt: new Date(NOW) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await service.stats(sponsor.id)).toMatchObject({ impressions: 0 });
    expect(await service.offerIn(room('year-1990'), VIEWER)).toBeNull();
  });
});
