import { AppConfig, DomainError, loadConfig, ManualClock, type Role } from '@app/common';
import { USERS_CHANGED, type UserRecord, type UsersChanged, type UsersService } from '@app/users';
import { EventBus } from './event-bus.fake';
import { newSessionId } from './session-tokens';
import { SessionGate } from './session-gate';
import type { SessionsRepository } from './sessions.repository';
import { FakeSessionsRepository, SessionStoreDown } from './sessions.repository.fake';
import { SessionsService } from './sessions.service';

/** The one method of UsersService the gate uses, over a map of accounts. */
class FakeUsers implements Pick<UsersService, 'findById'> {
  private readonly users = new Map<string, UserRecord>();
  private failures = 0;
  reads = 0;

  add(id: string, fields: Partial<UserRecord> = {}): void {
    const at = new Date('2026-01-01T00:00:00Z');
    this.users.set(id, {
      id,
      email: `${id}@example.com`,
      passwordHash: 'hash',
      displayName: id,
      bio: '',
      avatarUrl: null,
      birthDate: '2000-02-29',
      rooms: ['day-2000-02-29', 'date-02-29', 'year-2000'],
      role: 'user',
      banned: false,
      invitedBy: null,
      createdAt: at,
      updatedAt: at,
      ...fields,
    });
  }

  change(id: string, fields: { role?: Role; banned?: boolean }): void {
    const user = this.users.get(id);
    if (user) this.users.set(id, { ...user, ...fields });
  }

  remove(id: string): void {
    this.users.delete(id);
  }

  failNext(): void {
    this.failures += 1;
  }

  findById(id: string): Promise<UserRecord | null> {
    this.reads += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('users store down (injected)'));
    }
    const user = this.users.get(id);
    return Promise.resolve(user ? { ...user } : null);
  }
}

const CACHE_MS = 2000;
const ALICE = '64b000000000000000000a11';
const BOB = '64b000000000000000000b0b';

describe('SessionGate', () => {
  let clock: ManualClock;
  let store: FakeSessionsRepository;
  let users: FakeUsers;
  let bus: EventBus;
  let sessions: SessionsService;
  let gate: SessionGate;

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    store = new FakeSessionsRepository();
    users = new FakeUsers();
    users.add(ALICE, { role: 'admin' });
    users.add(BOB);
    bus = new EventBus();
    const config = new AppConfig(loadConfig({}));
    sessions = new SessionsService(store as unknown as SessionsRepository, config, clock, bus);
    gate = new SessionGate(sessions, users as unknown as UsersService, clock);
    bus.subscribe(sessions, gate);
  });

  async function signIn(userId = ALICE): Promise<string> {
    return (await sessions.open(userId, null)).session.id;
  }

  /** Reads of the session store and the users since the last call. */
  function readsSince(): () => number {
    const [sessionReads, userReads] = [store.calls.length, users.reads];
    return () => store.calls.length - sessionReads + users.reads - userReads;
  }

  async function refusal(sessionId: string, userId: string): Promise<DomainError> {
    const error: unknown = await gate.admit(sessionId, userId).catch((e: unknown) => e);
    if (!(error instanceof DomainError))
      throw new Error(`expected a DomainError, got ${String(error)}`);
    return error;
  }

  it('admits an open session of its user, with the role the database holds', async () => {
    const sessionId = await signIn();

    await expect(gate.admit(sessionId, ALICE)).resolves.toEqual({
      id: ALICE,
      role: 'admin',
      sessionId,
    });
  });

  describe('refuses with UNAUTHORIZED', () => {
    it.each<[string, (sessionId: string) => Promise<[string, string]>]>([
      ['an unknown session', () => Promise.resolve([newSessionId(), ALICE])],
      ['a session presented by another user', (id) => Promise.resolve([id, BOB])],
      [
        'a revoked session',
        async (id) => {
          await sessions.revokeAll(ALICE, 'logout everywhere');
          return [id, ALICE];
        },
      ],
      [
        'an expired session',
        (id) => {
          clock.advance(30 * 86_400_000);
          return Promise.resolve([id, ALICE]);
        },
      ],
      [
        'a session of a deleted account',
        (id) => {
          users.remove(ALICE);
          return Promise.resolve([id, ALICE]);
        },
      ],
    ])('%s', async (_, situation) => {
      const [sessionId, userId] = await situation(await signIn());

      expect(await refusal(sessionId, userId)).toMatchObject({ code: 'UNAUTHORIZED' });
    });
  });

  it('refuses a banned account with ACCOUNT_BANNED, even on an open session', async () => {
    const sessionId = await signIn();
    users.change(ALICE, { banned: true });

    expect(await refusal(sessionId, ALICE)).toMatchObject({ code: 'ACCOUNT_BANNED' });
  });

  describe('the 2 s cache', () => {
    it('trusts a positive check for 2 s without reading the stores, then checks again', async () => {
      const sessionId = await signIn();
      await gate.admit(sessionId, ALICE);
      const reads = readsSince();
      // Revoked by another instance: no event reaches this one.
      await store.revoke(sessionId, 'logout', clock.now());
      const storeReads = readsSince();

      clock.advance(CACHE_MS - 1);
      await expect(gate.admit(sessionId, ALICE)).resolves.toMatchObject({ id: ALICE });
      expect(storeReads()).toBe(0);

      clock.advance(1);
      expect(await refusal(sessionId, ALICE)).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(reads()).toBeGreaterThan(1);
    });

    it('lets a demotion made elsewhere take effect once the cache time is over', async () => {
      const sessionId = await signIn();
      await gate.admit(sessionId, ALICE);
      users.change(ALICE, { role: 'user' });

      await expect(gate.admit(sessionId, ALICE)).resolves.toMatchObject({ role: 'admin' });
      clock.advance(CACHE_MS);
      await expect(gate.admit(sessionId, ALICE)).resolves.toMatchObject({ role: 'user' });
    });

    it('serves a cached session only to the user it admitted', async () => {
      const sessionId = await signIn();
      await gate.admit(sessionId, ALICE);

      expect(await refusal(sessionId, BOB)).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('does not cache a check that read its session before a revocation announced meanwhile', async () => {
      const sessionId = await signIn();
      const inFlight = gate.admit(sessionId, ALICE);
      await sessions.revokeAll(ALICE, 'banned');
      await expect(inFlight).resolves.toMatchObject({ sessionId });
      expect(await refusal(sessionId, ALICE)).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('SESSIONS_REVOKED drops the revoked sessions at once, and only those', async () => {
      const phone = await signIn();
      const laptop = await signIn();
      await gate.admit(phone, ALICE);
      await gate.admit(laptop, ALICE);

      await sessions.revokeAll(ALICE, 'password changed', laptop);
      const reads = readsSince();

      expect(await refusal(phone, ALICE)).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(reads()).toBeGreaterThan(0);
      const cachedReads = readsSince();
      await expect(gate.admit(laptop, ALICE)).resolves.toMatchObject({ sessionId: laptop });
      expect(cachedReads()).toBe(0);
    });

    it('USERS_CHANGED drops every cached session of that user at once, and only theirs', async () => {
      const phone = await signIn();
      const laptop = await signIn();
      const bobs = await signIn(BOB);
      for (const [id, user] of [
        [phone, ALICE],
        [laptop, ALICE],
        [bobs, BOB],
      ]) {
        await gate.admit(id, user);
      }
      users.change(ALICE, { role: 'user' });

      await bus.emitAsync(USERS_CHANGED, { userId: ALICE } satisfies UsersChanged);

      await expect(gate.admit(phone, ALICE)).resolves.toMatchObject({ role: 'user' });
      await expect(gate.admit(laptop, ALICE)).resolves.toMatchObject({ role: 'user' });
      const reads = readsSince();
      await gate.admit(bobs, BOB);
      expect(reads()).toBe(0);
    });

    it('a ban announced by USERS_CHANGED refuses the cached session at once with ACCOUNT_BANNED', async () => {
      const sessionId = await signIn();
      await gate.admit(sessionId, ALICE);
      users.change(ALICE, { banned: true });

      await bus.emitAsync(USERS_CHANGED, { userId: ALICE, banned: true } satisfies UsersChanged);

      expect(await refusal(sessionId, ALICE)).toMatchObject({ code: 'ACCOUNT_BANNED' });
    });
  });

  describe('when a store fails', () => {
    it('a failed session read refuses the request with that error and caches nothing', async () => {
      const sessionId = await signIn();
      store.failNext('findById');

      await expect(gate.admit(sessionId, ALICE)).rejects.toBeInstanceOf(SessionStoreDown);

      const reads = readsSince();
      await expect(gate.admit(sessionId, ALICE)).resolves.toMatchObject({ id: ALICE });
      expect(reads()).toBe(2);
    });

    it('a failed user read refuses the request with that error and caches nothing', async () => {
      const sessionId = await signIn();
      users.failNext();

      await expect(gate.admit(sessionId, ALICE)).rejects.toThrow('users store down');

      const reads = readsSince();
      await expect(gate.admit(sessionId, ALICE)).resolves.toMatchObject({ id: ALICE });
      expect(reads()).toBe(2);
    });
  });
});
