import { DomainError, ManualClock } from '@app/common';
import type { MessageDto, MessagesService } from '@app/messages';
import type { RoomsService } from '@app/rooms';
import type { UsersService } from '@app/users';
import type { ReportResolution } from './report.record';
import type { ReportsRepository } from './reports.repository';
import { FakeReportsRepository } from './reports.repository.fake';
import { ReportsService } from './reports.service';

const ALICE = '64b000000000000000000a11';
const BOB = '64b000000000000000000b0b';
const CAROL = '64b000000000000000000c01';
const ADMIN = '64b0000000000000000000ad';
const MESSAGE = '64b0000000000000000000f1';
const ROOM = 'day-1990-05-17';

const message: MessageDto = {
  id: MESSAGE,
  roomKey: ROOM,
  author: { id: ALICE, displayName: 'Alice', avatarUrl: null, bio: '' },
  text: 'rude words',
  clientMessageId: null,
  createdAt: '2026-11-21T10:00:00.000Z',
  expiresAt: '2026-11-22T10:00:00.000Z',
};

const messages = {
  get: (id: string) =>
    id === MESSAGE
      ? Promise.resolve(message)
      : Promise.reject(DomainError.notFound('No such message')),
};

const rooms = {
  requireMember: (userId: string) =>
    userId === CAROL
      ? Promise.reject(DomainError.forbidden('Only members of this room may do this'))
      : Promise.resolve({ key: ROOM }),
};

const users = {
  publicViews: (ids: readonly string[]) =>
    Promise.resolve(
      new Map(
        ids
          .filter((id) => id !== CAROL)
          .map((id) => [id, { id, displayName: `user ${id}`, avatarUrl: null, bio: '' }]),
      ),
    ),
};

describe('ReportsService', () => {
  let repo: FakeReportsRepository;
  let clock: ManualClock;
  let service: ReportsService;

  beforeEach(() => {
    repo = new FakeReportsRepository();
    clock = new ManualClock(Date.parse('2026-11-21T12:00:00Z'));
    service = new ReportsService(
      repo as unknown as ReportsRepository,
      messages as unknown as MessagesService,
      rooms as unknown as RoomsService,
      users as unknown as UsersService,
      clock,
    );
  });

  function resolution(at = clock.now()): ReportResolution {
    return {
      action: 'dismiss',
      outcome: 'dismissed',
      note: null,
      resolvedBy: ADMIN,
      resolvedAt: at,
    };
  }

  it('stores an open report with a copy of the message as evidence', async () => {
    const report = await service.report(BOB, MESSAGE, ' spam ');
    expect(report).toEqual({
      id: expect.any(String) as unknown,
      messageId: MESSAGE,
      reporterId: BOB,
      reason: 'spam',
      evidence: {
        text: 'rude words',
        authorId: ALICE,
        author: message.author,
        roomKey: ROOM,
        messageCreatedAt: new Date(message.createdAt),
      },
      status: 'open',
      resolution: null,
      createdAt: clock.now(),
    });
  });

  it('checks the reason first, then the message, membership and authorship, then once per user', async () => {
    await expect(service.report(CAROL, 'missing', '')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(service.report(BOB, 'missing', 'spam')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.report(CAROL, MESSAGE, 'spam')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(service.report(ALICE, MESSAGE, 'spam')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You cannot report your own message',
    });
    await service.report(BOB, MESSAGE, 'spam');
    await expect(service.report(BOB, MESSAGE, 'again')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(repo.rows.size).toBe(1);
  });

  it('resolves once: a second resolution is a CONFLICT, an unknown report NOT_FOUND', async () => {
    const { id } = await service.report(BOB, MESSAGE, 'spam');
    await expect(service.resolve(id, resolution())).resolves.toMatchObject({ status: 'resolved' });
    await expect(service.resolve(id, resolution())).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.resolve(ADMIN, resolution())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reopens a report its resolver claimed, and records the outcome an action had', async () => {
    const { id } = await service.report(BOB, MESSAGE, 'spam');
    const claimed = await service.resolve(id, resolution());
    const corrected = await service.setOutcome(claimed, 'message-already-gone');
    expect(corrected.resolution?.outcome).toBe('message-already-gone');
    await service.reopen(corrected);
    expect((await service.get(id)).status).toBe('open');
  });

  it('lists newest first by status with reporters, a deleted reporter shown as such', async () => {
    const first = await service.report(BOB, MESSAGE, 'one');
    await repo.insert({ ...first, reporterId: CAROL, reason: 'two' });
    await service.resolve(first.id, resolution());
    const open = await service.list('open', undefined, 10);
    expect(open.items.map((r) => [r.reason, r.reporter.displayName])).toEqual([
      ['two', 'Deleted user'],
    ]);
    const all = await service.list(undefined, undefined, 1);
    expect(all.items.map((r) => r.reason)).toEqual(['two']);
    const next = await service.list(undefined, all.nextCursor ?? undefined, 1);
    expect(next).toMatchObject({ items: [{ reason: 'one' }], nextCursor: null });
  });

  it('resolves every open report of a message, leaving resolved ones as they were', async () => {
    const first = await service.report(BOB, MESSAGE, 'one');
    const second = (await repo.insert({ ...first, reporterId: CAROL })) as {
      report: { id: string };
    };
    await service.resolve(first.id, resolution());
    const ids = await service.resolveOpenOfMessage(MESSAGE, {
      ...resolution(),
      action: 'delete-message',
      outcome: 'message-deleted',
    });
    expect(ids).toEqual([second.report.id]);
    expect((await service.get(first.id)).resolution?.action).toBe('dismiss');
  });
});
