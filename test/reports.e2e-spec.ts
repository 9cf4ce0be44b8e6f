import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import type { Response } from 'supertest';
import {
  AVATAR_URL,
  createTestApp,
  expectError,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import {
  connectSocket,
  disconnection,
  nextEvent,
  send,
  socketsClosable,
  type TestSocket,
} from './support/sockets';
import { closeAll } from './support/teardown';

interface PublicUser {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  bio: string;
}

interface Message {
  id: string;
  roomKey: string;
  author: PublicUser;
  text: string;
  createdAt: string;
}

interface Report {
  id: string;
  messageId: string;
  reason: string;
  status: 'open' | 'resolved';
  createdAt: string;
  reporter: PublicUser;
  evidence: { text: string; author: PublicUser; roomKey: string; messageCreatedAt: string };
  resolution: {
    action: string;
    outcome: string;
    note: string | null;
    resolvedBy: string;
    resolvedAt: string;
  } | null;
}

interface AuditEntry {
  actorId: string;
  action: string;
  target: { type: string; id: string | null };
  details: Record<string, unknown>;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const ID = /^[0-9a-f]{24}$/;
const MISSING_ID = '0123456789abcdef01234567';
const NOT_A_MEMBER = 'Only members of this room may do this';

let birthYear = 1930;

/** The ISO time lies between two instants of the server clock. */
function expectBetween(iso: string, from: Date, to: Date): void {
  const time = new Date(iso).getTime();
  expect(time).toBeGreaterThanOrEqual(from.getTime());
  expect(time).toBeLessThanOrEqual(to.getTime());
}

/** A birth date no other test uses, so that each test has rooms of its own. */
function freshBirthDate(): string {
  birthYear += 1;
  return `${birthYear}-07-09`;
}

describe('reports and moderation', () => {
  let t: TestApp;
  let admin: TestSession;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMITS: 'off' } });
    admin = await signUpAdmin(t, { birthDate: '1920-01-01' });
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  /** An author and a reporter born on the same day, and a message of the author's in their day room. */
  async function scene(text = 'You are all idiots'): Promise<{
    author: TestSession;
    reporter: TestSession;
    message: Message;
  }> {
    const birthDate = freshBirthDate();
    const [author, reporter] = await Promise.all([
      signUp(t, { birthDate, displayName: 'Author' }),
      signUp(t, { birthDate, displayName: 'Reporter' }),
    ]);
    const res = await author.agent.post(`/api/v1/rooms/day-${birthDate}/messages`).send({ text });
    expect(res.status).toBe(201);
    return { author, reporter, message: res.body as Message };
  }

  function report(user: TestSession, messageId: string, reason: unknown): Promise<Response> {
    return user.agent.post(`/api/v1/messages/${messageId}/report`).send({ reason });
  }

  async function reportOk(
    user: TestSession,
    messageId: string,
    reason = 'Insults',
  ): Promise<string> {
    const res = await report(user, messageId, reason);
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  }

  async function listReports(query = ''): Promise<Page<Report>> {
    const res = await t.http.get(`/api/v1/admin/reports?limit=100${query}`).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body as Page<Report>;
  }

  async function findReport(id: string): Promise<Report> {
    const found = (await listReports()).items.find((r) => r.id === id);
    if (!found) throw new Error(`report ${id} is not listed`);
    return found;
  }

  function resolve(id: string, body: object, as: TestSession = admin): Promise<Response> {
    return t.http.post(`/api/v1/admin/reports/${id}/resolve`).set(as.auth).send(body);
  }

  async function auditFor(targetId: string): Promise<AuditEntry[]> {
    const res = await t.http.get('/api/v1/admin/audit?limit=100').set(admin.auth);
    expect(res.status).toBe(200);
    return (res.body as Page<AuditEntry>).items.filter((entry) => entry.target.id === targetId);
  }

  async function joined(session: TestSession, roomKey: string): Promise<TestSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    expect(await send(socket, 'room:join', { roomKey })).toMatchObject({ ok: true, roomKey });
    return socket;
  }

  function removeStoredMessage(id: string): Promise<unknown> {
    const messages = t.app.get<Connection>(getConnectionToken()).collection('messages');
    return messages.deleteOne({ _id: new Types.ObjectId(id) });
  }

  describe('POST /messages/:id/report', () => {
    it('a member of the room reports a message: 201 with the open report', async () => {
      const { reporter, message } = await scene();
      const before = t.clock.now();
      const res = await report(reporter, message.id, '  Insults \u0007 a member ');
      expect(res.status).toBe(201);
      expectBetween((res.body as { createdAt: string }).createdAt, before, t.clock.now());
      expect(res.body).toEqual({
        id: expect.stringMatching(ID) as unknown,
        messageId: message.id,
        reason: 'Insults  a member',
        status: 'open',
        createdAt: expect.any(String) as unknown,
      });
    });

    it('refuses a user who is not a member of the room (403), admins included', async () => {
      const { message } = await scene();
      const stranger = await signUp(t, { birthDate: freshBirthDate() });
      expectError(await report(stranger, message.id, 'Spam'), 403, 'FORBIDDEN', NOT_A_MEMBER);
      expectError(await report(admin, message.id, 'Spam'), 403, 'FORBIDDEN', NOT_A_MEMBER);
      expect((await listReports()).items.some((r) => r.messageId === message.id)).toBe(false);
    });

    it('refuses reporting your own message with 403', async () => {
      const { author, message } = await scene();
      const res = await report(author, message.id, 'Oops');
      expectError(res, 403, 'FORBIDDEN', 'You cannot report your own message');
    });

    it('answers 404 for an unknown message and 400 for a malformed id', async () => {
      const { reporter } = await scene();
      expectError(await report(reporter, MISSING_ID, 'Spam'), 404, 'NOT_FOUND', 'No such message');
      const malformed = await report(reporter, 'nope', 'Spam');
      expect(malformed.status).toBe(400);
    });

    it('answers 409 to a second report of the same message by the same user; another member may report it', async () => {
      const { author, reporter, message } = await scene();
      await reportOk(reporter, message.id);
      expectError(
        await report(reporter, message.id, 'Again'),
        409,
        'CONFLICT',
        'You have already reported this message',
      );
      const other = await signUp(t, { birthDate: author.birthDate });
      await reportOk(other, message.id);
      const mine = (await listReports()).items.filter((r) => r.messageId === message.id);
      expect(mine.map((r) => r.reporter.id).sort()).toEqual([reporter.id, other.id].sort());
    });

    it('of 10 parallel reports by one user, exactly one is stored (201) and the others answer 409', async () => {
      const { reporter, message } = await scene();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => report(reporter, message.id, `Report ${i}`)),
      );
      const statuses = results.map((res) => res.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
      const stored = (await listReports()).items.filter((r) => r.messageId === message.id);
      expect(stored).toHaveLength(1);
    });

    it('validates the reason by the plain-text rule: 1 to 500 characters after trimming', async () => {
      const { reporter, message } = await scene();
      const fields = (res: Response): unknown => [
        res.status,
        (res.body as { error: string }).error,
        (res.body as { details: { field: string }[] }).details.map((d) => d.field),
      ];
      expect(fields(await report(reporter, message.id, '  \u0001 '))).toEqual([
        400,
        'VALIDATION_FAILED',
        ['reason'],
      ]);
      expect(fields(await report(reporter, message.id, 'x'.repeat(501)))).toEqual([
        400,
        'VALIDATION_FAILED',
        ['reason'],
      ]);
      expect(fields(await report(reporter, message.id, 42))).toEqual([
        400,
        'VALIDATION_FAILED',
        ['reason'],
      ]);
      const extra = await reporter.agent
        .post(`/api/v1/messages/${message.id}/report`)
        .send({ reason: 'Spam', extra: 1 });
      expect(extra.status).toBe(400);
      await reportOk(reporter, message.id, `  ${'é'.repeat(500)}  `);
    });

    it('needs an access token (401)', async () => {
      const res = await t.http.post(`/api/v1/messages/${MISSING_ID}/report`).send({ reason: 'x' });
      expect(res.status).toBe(401);
    });
  });

  describe('evidence', () => {
    it('keeps the text, author (public view at the time) and room after the message is deleted', async () => {
      const { author, reporter, message } = await scene('Delete me before they see');
      const id = await reportOk(reporter, message.id);
      expect((await author.agent.delete(`/api/v1/messages/${message.id}`)).status).toBe(204);
      await author.agent.patch('/api/v1/users/me').send({ displayName: 'Renamed' });
      const kept = await findReport(id);
      expect(kept).toMatchObject({
        messageId: message.id,
        status: 'open',
        reporter: { id: reporter.id, displayName: 'Reporter' },
        evidence: {
          text: 'Delete me before they see',
          author: {
            id: author.id,
            displayName: 'Author',
            avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
            bio: '',
          },
          roomKey: message.roomKey,
          messageCreatedAt: message.createdAt,
        },
        resolution: null,
      });
    });

    it('outlives its message past retention (the clock moved on, the stored message removed)', async () => {
      const { reporter, message } = await scene('Expiring insult');
      const id = await reportOk(reporter, message.id);
      t.clock.advance(48 * 3600_000);
      try {
        // What the retention TTL index does to a message this old.
        await removeStoredMessage(message.id);
      } finally {
        t.clock.reset();
      }
      const gone = await t.http.delete(`/api/v1/admin/messages/${message.id}`).set(admin.auth);
      expectError(gone, 404, 'NOT_FOUND', 'No such message');
      const kept = await findReport(id);
      expect(kept.evidence.text).toBe('Expiring insult');
      expect(kept.evidence.messageCreatedAt).toBe(message.createdAt);
    });
  });

  describe('GET /admin/reports', () => {
    it('lists newest first, filters by status, and pages with a cursor', async () => {
      const { reporter, author } = await scene();
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await author.agent
          .post(`/api/v1/rooms/day-${author.birthDate}/messages`)
          .send({ text: `message ${i}` });
        ids.push(await reportOk(reporter, (res.body as Message).id));
      }
      expect((await resolve(ids[0], { action: 'dismiss' })).status).toBe(200);

      const open = (await listReports('&status=open')).items.map((r) => r.id);
      expect(open.indexOf(ids[2])).toBeLessThan(open.indexOf(ids[1]));
      expect(open).not.toContain(ids[0]);
      const resolved = await listReports('&status=resolved');
      expect(resolved.items.every((r) => r.status === 'resolved')).toBe(true);
      expect(resolved.items.map((r) => r.id)).toContain(ids[0]);

      const all = (await listReports()).items.map((r) => r.id);
      const first = await t.http.get('/api/v1/admin/reports?limit=2').set(admin.auth);
      const firstPage = first.body as Page<Report>;
      expect(firstPage.items.map((r) => r.id)).toEqual(all.slice(0, 2));
      expect(firstPage.nextCursor).toBe(all[1]);
      const second = await t.http
        .get(`/api/v1/admin/reports?limit=2&cursor=${firstPage.nextCursor}`)
        .set(admin.auth);
      expect((second.body as Page<Report>).items.map((r) => r.id)).toEqual(all.slice(2, 4));
    });

    it('refuses an unknown status with 400', async () => {
      const res = await t.http.get('/api/v1/admin/reports?status=closed').set(admin.auth);
      expect(res.status).toBe(400);
      expect((res.body as { error: string }).error).toBe('VALIDATION_FAILED');
    });
  });

  describe('POST /admin/reports/:id/resolve', () => {
    it('dismiss: resolves the report, the message stays, audited with before and after', async () => {
      const { reporter, message } = await scene();
      const id = await reportOk(reporter, message.id);
      const before = t.clock.now();
      const res = await resolve(id, { action: 'dismiss', note: ' Banter \u0007' });
      expect(res.status).toBe(200);
      const { resolution } = res.body as Report;
      expectBetween(resolution?.resolvedAt ?? '', before, t.clock.now());
      expect(res.body).toMatchObject({
        id,
        status: 'resolved',
        reporter: { id: reporter.id },
        resolution: {
          action: 'dismiss',
          outcome: 'dismissed',
          note: 'Banter',
          resolvedBy: admin.id,
        },
      });
      const messages = await t.http
        .get(`/api/v1/rooms/${message.roomKey}/messages`)
        .set(admin.auth);
      expect((messages.body as Page<Message>).items.map((m) => m.id)).toEqual([message.id]);
      expect(await auditFor(id)).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          action: 'report.resolve',
          target: { type: 'report', id },
          details: {
            messageId: message.id,
            before: { status: 'open' },
            after: { status: 'resolved', action: 'dismiss', outcome: 'dismissed', note: 'Banter' },
          },
        }),
      ]);
    });

    it('delete-message: deletes it (the room gets message:deleted), resolves its other open reports, audits both', async () => {
      const { author, reporter, message } = await scene('Delete me');
      const other = await signUp(t, { birthDate: author.birthDate });
      const id = await reportOk(reporter, message.id);
      const otherId = await reportOk(other, message.id);
      const socket = await joined(other, message.roomKey);
      const deleted = nextEvent(socket, 'message:deleted');

      const res = await resolve(id, { action: 'delete-message' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        resolution: { action: 'delete-message', outcome: 'message-deleted', note: null },
      });
      expect(await deleted).toEqual({ id: message.id, roomKey: message.roomKey });
      const list = await t.http.get(`/api/v1/rooms/${message.roomKey}/messages`).set(admin.auth);
      expect((list.body as Page<Message>).items).toEqual([]);
      expect(await findReport(otherId)).toMatchObject({
        status: 'resolved',
        resolution: {
          action: 'delete-message',
          outcome: 'message-deleted',
          note: `Resolved with report ${id}`,
        },
      });
      expect(await auditFor(message.id)).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          action: 'message.delete',
          details: {
            before: {
              text: 'Delete me',
              authorId: author.id,
              roomKey: message.roomKey,
              createdAt: message.createdAt,
            },
            after: { deleted: true, resolvedReports: [id] },
          },
        }),
      ]);
      expect((await auditFor(id))[0].details).toMatchObject({
        after: { action: 'delete-message', outcome: 'message-deleted', alsoResolved: [otherId] },
      });
    });

    it('delete-message of a message already gone still resolves, with outcome message-already-gone', async () => {
      const { reporter, message } = await scene();
      const id = await reportOk(reporter, message.id);
      await removeStoredMessage(message.id);
      const res = await resolve(id, { action: 'delete-message' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'resolved',
        resolution: { action: 'delete-message', outcome: 'message-already-gone' },
        evidence: { text: message.text },
      });
      expect(await auditFor(message.id)).toEqual([]);
    });

    it("ban-author: the author's next request fails and their sockets disconnect; audited", async () => {
      const { author, reporter, message } = await scene();
      const id = await reportOk(reporter, message.id);
      const socket = await joined(author, message.roomKey);
      const gone = disconnection(socket);

      const res = await resolve(id, { action: 'ban-author', note: 'Repeated insults' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        resolution: { action: 'ban-author', outcome: 'author-banned', note: 'Repeated insults' },
      });
      expect(await gone).toBe('io server disconnect');
      expectError(
        await author.agent.get('/api/v1/auth/me'),
        403,
        'ACCOUNT_BANNED',
        'This account is banned',
      );
      expect((await auditFor(id))[0].details).toEqual({
        messageId: message.id,
        before: { status: 'open', authorBanned: false },
        after: {
          status: 'resolved',
          action: 'ban-author',
          outcome: 'author-banned',
          note: 'Repeated insults',
          authorBanned: true,
        },
      });

      const second = await signUp(t, { birthDate: author.birthDate });
      const secondId = await reportOk(second, message.id);
      const again = await resolve(secondId, { action: 'ban-author' });
      expect(again.body).toMatchObject({ resolution: { outcome: 'author-already-banned' } });
    });

    it('refuses to ban an admin author, yourself included (409), and the report stays open', async () => {
      const birthDate = freshBirthDate();
      const [otherAdmin, member] = await Promise.all([
        signUpAdmin(t, { birthDate }),
        signUp(t, { birthDate }),
      ]);
      const posted = await otherAdmin.agent
        .post(`/api/v1/rooms/day-${birthDate}/messages`)
        .send({ text: 'From an admin' });
      const id = await reportOk(member, (posted.body as Message).id);
      expectError(
        await resolve(id, { action: 'ban-author' }),
        409,
        'CONFLICT',
        'The author is an admin: demote them first, then ban them',
      );
      expectError(
        await resolve(id, { action: 'ban-author' }, otherAdmin),
        409,
        'CONFLICT',
        'You cannot ban yourself',
      );
      expect((await findReport(id)).status).toBe('open');
      expect((await otherAdmin.agent.get('/api/v1/auth/me')).status).toBe(200);
    });

    it('resolves once: a second resolution answers 409, and of 10 parallel ones exactly one wins', async () => {
      const { reporter, message } = await scene();
      const id = await reportOk(reporter, message.id);
      expect((await resolve(id, { action: 'dismiss' })).status).toBe(200);
      expectError(
        await resolve(id, { action: 'delete-message' }),
        409,
        'CONFLICT',
        'This report is already resolved',
      );

      const next = await scene();
      const nextId = await reportOk(next.reporter, next.message.id);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          resolve(nextId, { action: i % 2 === 0 ? 'dismiss' : 'delete-message' }),
        ),
      );
      expect(results.map((res) => res.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
      expect(await auditFor(nextId)).toHaveLength(1);
    });

    it('answers 404 for an unknown report and 400 for a bad action or note', async () => {
      expectError(
        await resolve(MISSING_ID, { action: 'dismiss' }),
        404,
        'NOT_FOUND',
        'No such report',
      );
      const { reporter, message } = await scene();
      const id = await reportOk(reporter, message.id);
      expect((await resolve(id, { action: 'warn' })).status).toBe(400);
      expect((await resolve(id, { action: 'dismiss', note: ' ' })).status).toBe(400);
      expect((await resolve(id, { action: 'dismiss', note: 'x'.repeat(501) })).status).toBe(400);
      expect((await resolve(id, {})).status).toBe(400);
      expect((await findReport(id)).status).toBe('open');
    });
  });

  describe('DELETE /admin/messages/:id', () => {
    it('deletes any message (204), the room gets message:deleted, open reports resolve, audited', async () => {
      const { author, reporter, message } = await scene('Admin removes this');
      const id = await reportOk(reporter, message.id);
      const socket = await joined(reporter, message.roomKey);
      const deleted = nextEvent(socket, 'message:deleted');

      const res = await t.http.delete(`/api/v1/admin/messages/${message.id}`).set(admin.auth);
      expect(res.status).toBe(204);
      expect(await deleted).toEqual({ id: message.id, roomKey: message.roomKey });
      expect(await findReport(id)).toMatchObject({
        status: 'resolved',
        resolution: { action: 'delete-message', outcome: 'message-deleted', resolvedBy: admin.id },
      });
      expect(await auditFor(message.id)).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          action: 'message.delete',
          target: { type: 'message', id: message.id },
          details: {
            before: {
              text: 'Admin removes this',
              authorId: author.id,
              roomKey: message.roomKey,
              createdAt: message.createdAt,
            },
            after: { deleted: true, resolvedReports: [id] },
          },
        }),
      ]);
      const again = await t.http.delete(`/api/v1/admin/messages/${message.id}`).set(admin.auth);
      expectError(again, 404, 'NOT_FOUND', 'No such message');
    });
  });

  it('refuses users (403) on every admin moderation route', async () => {
    const { reporter, message } = await scene();
    const id = await reportOk(reporter, message.id);
    const calls: Response[] = await Promise.all([
      t.http.get('/api/v1/admin/reports').set(reporter.auth),
      t.http
        .post(`/api/v1/admin/reports/${id}/resolve`)
        .set(reporter.auth)
        .send({ action: 'dismiss' }),
      t.http.delete(`/api/v1/admin/messages/${message.id}`).set(reporter.auth),
    ]);
    for (const res of calls) expect(res.status).toBe(403);
    expect((await findReport(id)).status).toBe('open');
    const list = await t.http.get(`/api/v1/rooms/${message.roomKey}/messages`).set(admin.auth);
    expect((list.body as Page<Message>).items.map((m) => m.id)).toEqual([message.id]);
  });
});
