import { type AuthUser, DomainError, ManualClock } from '@app/common';
import type { MessageDto, MessagesService } from '@app/messages';
import { ReportsService } from '@app/reports';
import { FakeReportsRepository } from '@app/reports/reports.repository.fake';
import type { ReportsRepository } from '@app/reports/reports.repository';
import type { RoomsService } from '@app/rooms';
import type { UserRecord, UsersService } from '@app/users';
import type { AuditService } from '../audit/audit.service';
import type { NewAuditEntry } from '../audit/audit.record';
import { AdminReportsService } from './admin-reports.service';

const AUTHOR = '64b000000000000000000a11';
const REPORTER = '64b000000000000000000b0b';
const ADMIN: AuthUser = { id: '64b0000000000000000000ad', role: 'admin', sessionId: 's' };
const MESSAGE = '64b0000000000000000000f1';
const ROOM = 'day-1990-05-17';

const message: MessageDto = {
  id: MESSAGE,
  roomKey: ROOM,
  author: { id: AUTHOR, displayName: 'Author', avatarUrl: null, bio: '' },
  text: 'rude words',
  clientMessageId: null,
  createdAt: '2026-11-21T10:00:00.000Z',
  expiresAt: '2026-11-22T10:00:00.000Z',
};

function user(id: string, changes: Partial<UserRecord> = {}): UserRecord {
  return { id, role: 'user', banned: false, displayName: id, ...changes } as UserRecord;
}

describe('AdminReportsService', () => {
  let stored: boolean;
  let author: UserRecord;
  let banFailure: Error | null;
  let audit: NewAuditEntry[];
  let deleted: string[];
  let service: AdminReportsService;
  let reportId: string;

  beforeEach(async () => {
    stored = true;
    author = user(AUTHOR);
    banFailure = null;
    audit = [];
    deleted = [];
    const messages = {
      get: (id: string) =>
        stored && id === MESSAGE
          ? Promise.resolve(message)
          : Promise.reject(DomainError.notFound('No such message')),
      delete: (_caller: AuthUser, id: string) => {
        if (!stored) return Promise.reject(DomainError.notFound('No such message'));
        stored = false;
        deleted.push(id);
        return Promise.resolve();
      },
    };
    const users = {
      getById: () => Promise.resolve(author),
      publicViews: (ids: readonly string[]) =>
        Promise.resolve(
          new Map(ids.map((id) => [id, { id, displayName: id, avatarUrl: null, bio: '' }])),
        ),
      updateByAdmin: (_id: string, changes: { banned: boolean }) => {
        if (banFailure) return Promise.reject(banFailure);
        author = { ...author, banned: changes.banned };
        return Promise.resolve(author);
      },
    };
    const rooms = { requireMember: () => Promise.resolve({ key: ROOM }) };
    const clock = new ManualClock(Date.parse('2026-11-21T12:00:00Z'));
    const reports = new ReportsService(
      new FakeReportsRepository() as unknown as ReportsRepository,
      messages as unknown as MessagesService,
      rooms as unknown as RoomsService,
      users as unknown as UsersService,
      clock,
    );
    const auditService = {
      record: (entry: NewAuditEntry) => {
        audit.push(entry);
        return Promise.resolve(entry);
      },
    };
    service = new AdminReportsService(
      reports,
      messages as unknown as MessagesService,
      users as unknown as UsersService,
      auditService as unknown as AuditService,
      clock,
    );
    reportId = (await reports.report(REPORTER, MESSAGE, 'spam')).id;
  });

  it('delete-message deletes the message and audits message.delete, then report.resolve', async () => {
    const report = await service.resolve(ADMIN, reportId, { action: 'delete-message' });
    expect(report.resolution).toMatchObject({ outcome: 'message-deleted', resolvedBy: ADMIN.id });
    expect(deleted).toEqual([MESSAGE]);
    expect(audit.map((entry) => entry.action)).toEqual(['message.delete', 'report.resolve']);
  });

  it('delete-message of a message already gone resolves with outcome message-already-gone', async () => {
    stored = false;
    const report = await service.resolve(ADMIN, reportId, { action: 'delete-message' });
    expect(report.resolution?.outcome).toBe('message-already-gone');
    expect(audit.map((entry) => entry.action)).toEqual(['report.resolve']);
  });

  it('refuses to ban an admin author (CONFLICT) before claiming: the report stays open', async () => {
    author = user(AUTHOR, { role: 'admin' });
    await expect(service.resolve(ADMIN, reportId, { action: 'ban-author' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const again = await service.resolve(ADMIN, reportId, { action: 'dismiss' });
    expect(again.status).toBe('resolved');
  });

  it('refuses to ban yourself (CONFLICT)', async () => {
    author = user(ADMIN.id, { role: 'admin' });
    await expect(service.resolve(ADMIN, reportId, { action: 'ban-author' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You cannot ban yourself',
    });
  });

  it('a ban that fails opens the report again, audits nothing, and rethrows', async () => {
    banFailure = new Error('database down');
    await expect(service.resolve(ADMIN, reportId, { action: 'ban-author' })).rejects.toThrow(
      'database down',
    );
    expect(audit).toEqual([]);
    banFailure = null;
    const report = await service.resolve(ADMIN, reportId, { action: 'ban-author' });
    expect(report.resolution?.outcome).toBe('author-banned');
    expect(author.banned).toBe(true);
  });

  it('an author banned already resolves with outcome author-already-banned', async () => {
    author = user(AUTHOR, { banned: true });
    const report = await service.resolve(ADMIN, reportId, { action: 'ban-author' });
    expect(report.resolution?.outcome).toBe('author-already-banned');
    expect(audit[0].details).toMatchObject({ before: { authorBanned: true } });
  });

  it('deleting a message as admin resolves its open reports and audits the message before', async () => {
    await service.deleteMessage(ADMIN, MESSAGE);
    expect(audit).toEqual([
      {
        actorId: ADMIN.id,
        action: 'message.delete',
        target: { type: 'message', id: MESSAGE },
        details: {
          before: {
            text: 'rude words',
            authorId: AUTHOR,
            roomKey: ROOM,
            createdAt: message.createdAt,
          },
          after: { deleted: true, resolvedReports: [reportId] },
        },
      },
    ]);
    await expect(service.deleteMessage(ADMIN, MESSAGE)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
