import { EventEmitter2 } from '@nestjs/event-emitter';
import { type AppConfig, DomainError, ManualClock } from '@app/common';
import type { TokensService } from '@app/tokens';
import { FakeTokens } from '@app/tokens/tokens.service.fake';
import type { UsersService } from '@app/users';
import { CAPSULE_DELIVERED, type CapsuleDelivered } from './capsules.events';
import type { CapsulesRepository } from './capsules.repository';
import { FakeCapsulesRepository } from './capsules.repository.fake';
import { CapsulesService } from './capsules.service';

const ALICE = '64b000000000000000000a11';
const BOB = '64b000000000000000000b0b';
const HOUR = 3_600_000;

const users = {
  getById: (id: string) => Promise.resolve({ id, birthDate: '2000-02-29' }),
};

describe('CapsulesService', () => {
  let repo: FakeCapsulesRepository;
  let tokens: FakeTokens;
  let clock: ManualClock;
  let events: EventEmitter2;
  let delivered: CapsuleDelivered[];
  let service: CapsulesService;

  beforeEach(() => {
    repo = new FakeCapsulesRepository();
    tokens = new FakeTokens([
      [ALICE, 35],
      [BOB, 5],
    ]);
    clock = new ManualClock(Date.parse('2026-11-21T10:00:00Z'));
    events = new EventEmitter2();
    delivered = [];
    events.on(CAPSULE_DELIVERED, (event: CapsuleDelivered) => delivered.push(event));
    const config = { get: () => 10 } as unknown as AppConfig;
    service = new CapsulesService(
      repo as unknown as CapsulesRepository,
      users as unknown as UsersService,
      tokens as unknown as TokensService,
      config,
      clock,
      events,
      { id: 'instance-1' },
    );
  });

  const inHours = (hours: number): Date => new Date(clock.now().getTime() + hours * HOUR);

  it('charges the price under the capsule id, then stores it sealed', async () => {
    const capsule = await service.create(ALICE, { message: ' hi ', deliverAt: inHours(2) });
    expect(capsule).toMatchObject({ sealed: true, openOn: null });
    expect(tokens.ledger).toEqual([
      {
        id: expect.any(String) as unknown,
        userId: ALICE,
        delta: -10,
        reason: 'capsule',
        ref: capsule.id,
      },
    ]);
    expect(repo.rows.get(capsule.id)).toMatchObject({ message: 'hi', status: 'sealed' });
  });

  it('takes next-birthday from the owner’s birth date', async () => {
    const capsule = await service.create(ALICE, { message: 'x', openOn: 'next-birthday' });
    expect(capsule.deliverAt).toBe('2027-02-28T00:00:00.000Z');
  });

  it('refuses a bad input before charging, and a low balance with 402, storing nothing', async () => {
    await expect(service.create(ALICE, { message: '', deliverAt: inHours(2) })).rejects.toThrow(
      DomainError,
    );
    await expect(
      service.create(BOB, { message: 'x', deliverAt: inHours(2) }),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_TOKENS',
    });
    expect(tokens.ledger).toEqual([]);
    expect(repo.rows.size).toBe(0);
  });

  it('refunds a capsule the store refused, and rethrows the store’s error', async () => {
    repo.failNextInsert(new Error('disk full'));
    await expect(service.create(ALICE, { message: 'x', deliverAt: inHours(2) })).rejects.toThrow(
      'disk full',
    );
    const [charge, refund] = tokens.ledger;
    expect(refund).toMatchObject({ userId: ALICE, delta: 10, reason: 'refund', ref: charge.id });
    expect(tokens.balances.get(ALICE)).toBe(35);
  });

  it('still rethrows the store’s error when the refund fails too', async () => {
    repo.failNextInsert(new Error('disk full'));
    tokens.failGrants = true;
    await expect(service.create(ALICE, { message: 'x', deliverAt: inHours(2) })).rejects.toThrow(
      'disk full',
    );
  });

  it('cancels only a sealed capsule of its owner: 404 for others, 409 once delivered', async () => {
    const a = await service.create(ALICE, { message: 'a', deliverAt: inHours(2) });
    const b = await service.create(ALICE, { message: 'b', deliverAt: inHours(3) });
    await expect(service.cancel(BOB, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.cancel(ALICE, a.id);
    await expect(service.get(ALICE, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    clock.advance(4 * HOUR);
    await service.deliverDue();
    await expect(service.cancel(ALICE, b.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(tokens.ledger.filter((e) => e.reason === 'refund')).toEqual([]);
  });

  it('delivers each due capsule once, soonest first, claimed by this instance; later ones stay sealed', async () => {
    const late = await service.create(ALICE, { message: 'late', deliverAt: inHours(2) });
    const soon = await service.create(ALICE, { message: 'soon', deliverAt: inHours(1) });
    const later = await service.create(ALICE, { message: 'later', deliverAt: inHours(9) });
    clock.advance(3 * HOUR);
    const passes = await Promise.all([service.deliverDue(), service.deliverDue()]);
    expect(passes).toEqual([2, 0]);
    expect(delivered.map((e) => [e.ownerId, e.capsule.id, e.capsule.message])).toEqual([
      [ALICE, soon.id, 'soon'],
      [ALICE, late.id, 'late'],
    ]);
    expect(repo.rows.get(soon.id)).toMatchObject({
      status: 'delivered',
      claimedBy: 'instance-1',
      deliveredAt: clock.now(),
    });
    expect(await service.get(ALICE, later.id)).toMatchObject({ sealed: true });
  });

  it('stops delivering at shutdown', async () => {
    await service.create(ALICE, { message: 'x', deliverAt: inHours(2) });
    clock.advance(3 * HOUR);
    await service.beforeApplicationShutdown();
    expect(await service.deliverDue()).toBe(0);
    expect(delivered).toEqual([]);
  });
});
