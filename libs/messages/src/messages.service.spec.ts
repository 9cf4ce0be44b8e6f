import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type AppConfig, type AuthUser, DomainError, ManualClock } from '@app/common';
import type { RateLimiter } from '@app/rate-limit';
import type { RoomsService } from '@app/rooms';
import type { TokensService } from '@app/tokens';
import { FakeTokens } from '@app/tokens/tokens.service.fake';
import type { UsersService } from '@app/users';
import { MESSAGE_CREATED, MESSAGE_DELETED } from './messages.events';
import type { MessagesRepository } from './messages.repository';
import { FakeMessagesRepository } from './messages.repository.fake';
import { MessagesService } from './messages.service';

const ALICE = '64b000000000000000000a11';
const BOB = '64b000000000000000000b0b';
const ROOM = 'day-1990-05-17';
const DAY_MS = 24 * 60 * 60 * 1000;

/** TokensService's fake, plus the check that the ledger still sums to the balance. */
class MessageTokens extends FakeTokens {
  /** The starting 10 plus the test's deltas equal the balance. */
  expectLedgerMatchesBalance(userId: string): void {
    const sum = this.ledger.filter((e) => e.userId === userId).reduce((s, e) => s + e.delta, 0);
    expect(10 + sum).toBe(this.balances.get(userId) ?? 0);
  }
}

const rooms = {
  requireMember: (userId: string, key: string) => {
    if (!/^(day|date|year)-/.test(key)) return Promise.reject(DomainError.notFound('No such room'));
    if (key !== ROOM) return Promise.reject(DomainError.forbidden('Only members'));
    const member = { id: userId, displayName: `user ${userId}`, avatarUrl: null, bio: '' };
    return Promise.resolve({ key, kind: 'day', title: 'Born on 17 May 1990', member });
  },
  requireReadable: (caller: AuthUser, key: string) =>
    caller.role === 'admin'
      ? Promise.resolve({ key, kind: 'day', title: '' })
      : rooms.requireMember(caller.id, key),
};

const users = {
  publicViews: (ids: readonly string[]) =>
    Promise.resolve(
      new Map(
        ids
          .filter((id) => id !== BOB)
          .map((id) => [id, { id, displayName: `user ${id}`, avatarUrl: null, bio: '' }]),
      ),
    ),
};

describe('MessagesService', () => {
  let repo: FakeMessagesRepository;
  let tokens: MessageTokens;
  let clock: ManualClock;
  let settings: Record<string, number>;
  let consume: jest.Mock;
  let created: unknown[];
  let deleted: unknown[];
  let service: MessagesService;
  let loggedErrors: jest.SpyInstance;

  const alice: AuthUser = { id: ALICE, role: 'user', sessionId: 's1' };
  const bob: AuthUser = { id: BOB, role: 'user', sessionId: 's2' };
  const admin: AuthUser = { id: '64b0000000000000000000ad', role: 'admin', sessionId: 's3' };

  beforeEach(async () => {
    repo = new FakeMessagesRepository();
    tokens = new MessageTokens();
    await tokens.grant(ALICE, 10, 'signup');
    await tokens.grant(BOB, 10, 'signup');
    tokens.ledger.length = 0;
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    settings = { MESSAGE_COST: 1 };
    consume = jest.fn(() => Promise.resolve());
    const events = new EventEmitter2();
    created = [];
    deleted = [];
    events.on(MESSAGE_CREATED, (event: unknown) => created.push(event));
    events.on(MESSAGE_DELETED, (event: unknown) => deleted.push(event));
    service = new MessagesService(
      repo as unknown as MessagesRepository,
      rooms as unknown as RoomsService,
      users as unknown as UsersService,
      tokens as unknown as TokensService,
      { consume } as unknown as RateLimiter,
      { get: (name: string) => settings[name] } as unknown as AppConfig,
      clock,
      events,
    );
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    loggedErrors.mockRestore();
  });

  describe('post', () => {
    it('stores the normalized text, charges MESSAGE_COST with the message id as ref, and announces it', async () => {
      const { message, created: isNew } = await service.post(ALICE, ROOM, { text: '  hi\u0000 ' });

      expect(isNew).toBe(true);
      expect(message).toEqual({
        id: expect.any(String) as unknown,
        roomKey: ROOM,
        author: { id: ALICE, displayName: `user ${ALICE}`, avatarUrl: null, bio: '' },
        text: 'hi',
        clientMessageId: null,
        createdAt: '2026-03-01T12:00:00.000Z',
        expiresAt: '2026-03-02T12:00:00.000Z',
      });
      expect(repo.all().map((m) => m.id)).toEqual([message.id]);
      expect(tokens.ledger).toEqual([
        {
          id: expect.any(String) as unknown,
          userId: ALICE,
          delta: -1,
          reason: 'message',
          ref: message.id,
        },
      ]);
      expect(consume).toHaveBeenCalledWith(
        expect.objectContaining({ name: 'message-post' }),
        ALICE,
      );
      expect(created).toEqual([{ message }]);
    });

    it('checks membership before the text: a non-member with an empty text gets 403', async () => {
      await expect(service.post(ALICE, 'day-2000-01-01', { text: '' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });

    it('refuses a bad text with VALIDATION_FAILED naming text, before the limit and the price', async () => {
      await expect(service.post(ALICE, ROOM, { text: ' \n ' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'text' }],
      });
      expect(consume).not.toHaveBeenCalled();
      expect(tokens.ledger).toEqual([]);
    });

    it('answers a repeated clientMessageId with the first message: not counted, not charged, not announced', async () => {
      const first = await service.post(ALICE, ROOM, { text: 'one', clientMessageId: 'k' });
      consume.mockClear();
      created.length = 0;

      const again = await service.post(ALICE, ROOM, { text: 'two', clientMessageId: 'k' });

      expect(again).toEqual({ message: first.message, created: false });
      expect(consume).not.toHaveBeenCalled();
      expect(tokens.balances.get(ALICE)).toBe(9);
      expect(created).toEqual([]);
    });

    it('refunds a post whose parallel twin won the unique index, and answers the twin', async () => {
      repo.onNextInsert(() => service.post(ALICE, ROOM, { text: 'twin', clientMessageId: 'k' }));

      const result = await service.post(ALICE, ROOM, { text: 'me', clientMessageId: 'k' });

      expect(result.created).toBe(false);
      expect(result.message.text).toBe('twin');
      expect(repo.all()).toHaveLength(1);
      expect(tokens.balances.get(ALICE)).toBe(9);
      expect(tokens.ledger.map((e) => e.reason)).toEqual(['message', 'message', 'refund']);
      // This post's charge (first) is refunded; the twin's charge names the twin.
      expect(tokens.ledger[0].ref).toBeNull();
      expect(tokens.ledger[1].ref).toBe(result.message.id);
      expect(tokens.ledger[2].ref).toBe(tokens.ledger[0].id);
      expect(created).toHaveLength(1);
      tokens.expectLedgerMatchesBalance(ALICE);
    });

    it('answers the twin instead of 402 when the twin took the last token meanwhile', async () => {
      tokens.balances.set(ALICE, 1);
      const twin = await service.post(ALICE, ROOM, { text: 'twin', clientMessageId: 'k' });
      // The second post passed the repeat check before the twin landed: simulate by a stale look-up.
      jest.spyOn(repo, 'findByClientId').mockResolvedValueOnce(null);

      const result = await service.post(ALICE, ROOM, { text: 'me', clientMessageId: 'k' });

      expect(result).toEqual({ message: twin.message, created: false });
      expect(tokens.balances.get(ALICE)).toBe(0);
    });

    it('gives the tokens back when the store fails after the charge, and surfaces the failure', async () => {
      const failure = new Error('store unavailable');
      repo.failNextInsert(failure);

      await expect(service.post(ALICE, ROOM, { text: 'lost' })).rejects.toBe(failure);

      expect(repo.all()).toEqual([]);
      expect(tokens.balances.get(ALICE)).toBe(10);
      const [charge, refund] = tokens.ledger;
      expect(charge).toMatchObject({ delta: -1, reason: 'message' });
      expect(charge.ref).toBeNull();
      expect(refund).toMatchObject({ userId: ALICE, delta: 1, reason: 'refund', ref: charge.id });
      expect(created).toEqual([]);
      tokens.expectLedgerMatchesBalance(ALICE);
    });

    it('still surfaces the store failure when the refund fails too', async () => {
      const failure = new Error('store unavailable');
      repo.failNextInsert(failure);
      tokens.failGrants = true;

      await expect(service.post(ALICE, ROOM, { text: 'lost' })).rejects.toBe(failure);
    });

    it('refuses with 402 on an empty balance, storing nothing', async () => {
      tokens.balances.set(ALICE, 0);
      await expect(service.post(ALICE, ROOM, { text: 'x' })).rejects.toMatchObject({
        code: 'INSUFFICIENT_TOKENS',
      });
      expect(repo.all()).toEqual([]);
    });

    it('charges nothing when MESSAGE_COST is 0, and refunds nothing when the store fails', async () => {
      settings.MESSAGE_COST = 0;
      await service.post(ALICE, ROOM, { text: 'free' });
      repo.failNextInsert(new Error('down'));
      await expect(service.post(ALICE, ROOM, { text: 'free' })).rejects.toThrow('down');
      expect(tokens.ledger).toEqual([]);
    });

    it('charges nothing when the rate limit refuses', async () => {
      consume.mockRejectedValueOnce(DomainError.rateLimited(30));
      await expect(service.post(ALICE, ROOM, { text: 'x' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      expect(tokens.ledger).toEqual([]);
    });
  });

  describe('list', () => {
    it('shows only the last 24 hours, newest first, and pages after a message oldest first', async () => {
      const old = await service.post(ALICE, ROOM, { text: 'old' });
      clock.advance(DAY_MS - 1);
      const fresh = await service.post(ALICE, ROOM, { text: 'fresh' });

      const both = await service.list(alice, ROOM, {});
      expect(both.items.map((m) => m.id)).toEqual([fresh.message.id, old.message.id]);
      const after = await service.list(alice, ROOM, { after: old.message.id });
      expect(after).toEqual({ items: [fresh.message], nextCursor: null });

      clock.advance(2);
      expect((await service.list(alice, ROOM, {})).items.map((m) => m.id)).toEqual([
        fresh.message.id,
      ]);
    });

    it('names both before and after when given together', async () => {
      await expect(
        service.list(alice, ROOM, { before: '1'.repeat(24), after: '2'.repeat(24) }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        details: [{ field: 'before' }, { field: 'after' }],
      });
    });

    it('shows the author of a deleted account as a placeholder', async () => {
      await service.post(BOB, ROOM, { text: 'from a deleted account' });
      const [item] = (await service.list(alice, ROOM, {})).items;
      expect(item.author).toEqual({
        id: BOB,
        displayName: 'Deleted user',
        avatarUrl: null,
        bio: '',
      });
    });
  });

  describe('delete', () => {
    it('lets the author delete and announces it to the room; no refund', async () => {
      const { message } = await service.post(ALICE, ROOM, { text: 'x' });
      await service.delete(alice, message.id);
      expect(repo.all()).toEqual([]);
      expect(deleted).toEqual([{ id: message.id, roomKey: ROOM }]);
      expect(tokens.balances.get(ALICE)).toBe(9);
    });

    it('refuses another user (403) and lets an admin delete', async () => {
      const { message } = await service.post(ALICE, ROOM, { text: 'x' });
      await expect(service.delete(bob, message.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(deleted).toEqual([]);
      await service.delete(admin, message.id);
      expect(repo.all()).toEqual([]);
    });

    it('answers 404 for an unknown message, and for one deleted meanwhile (announced once)', async () => {
      await expect(service.delete(alice, 'f'.repeat(24))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const { message } = await service.post(ALICE, ROOM, { text: 'x' });
      jest.spyOn(repo, 'delete').mockResolvedValueOnce(false);
      await expect(service.delete(alice, message.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(deleted).toEqual([]);
    });
  });
});
