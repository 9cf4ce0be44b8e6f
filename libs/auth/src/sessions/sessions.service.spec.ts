import { AppConfig, loadConfig, ManualClock } from '@app/common';
import { USERS_CHANGED, type UsersChanged } from '@app/users';
import { SESSIONS_REVOKED, type SessionsRevoked } from '../auth.events';
import { EventBus } from './event-bus.fake';
import { hashRefreshToken, isWellFormedRefreshToken } from './session-tokens';
import type { SessionsRepository } from './sessions.repository';
import { FakeSessionsRepository, SessionStoreDown } from './sessions.repository.fake';
import { type IssuedSession, SessionsService } from './sessions.service';

const DAY_MS = 86_400_000;
const TTL_DAYS = 30;
const ALICE = '64b000000000000000000a11';
const BOB = '64b000000000000000000b0b';

describe('SessionsService', () => {
  let clock: ManualClock;
  let repo: FakeSessionsRepository;
  let bus: EventBus;
  let service: SessionsService;
  let revoked: SessionsRevoked[];

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    repo = new FakeSessionsRepository();
    bus = new EventBus();
    const config = new AppConfig(loadConfig({ REFRESH_TOKEN_TTL_DAYS: String(TTL_DAYS) }));
    service = new SessionsService(repo as unknown as SessionsRepository, config, clock, bus);
    bus.subscribe(service);
    revoked = [];
    bus.on(SESSIONS_REVOKED, (event: SessionsRevoked) => revoked.push(event));
  });

  function open(userId = ALICE): Promise<IssuedSession> {
    return service.open(userId, 'jest');
  }

  async function isActive(sessionId: string): Promise<boolean> {
    return (await service.findActive(sessionId)) !== null;
  }

  it('opens a session ending REFRESH_TOKEN_TTL_DAYS from now, storing only the hash of its refresh token', async () => {
    const { session, refreshToken } = await open();

    expect(isWellFormedRefreshToken(refreshToken)).toBe(true);
    expect(session).toEqual({
      id: expect.any(String) as string,
      userId: ALICE,
      expiresAt: new Date(clock.now().getTime() + TTL_DAYS * DAY_MS),
      revokedAt: null,
    });
    const row = repo.row(session.id);
    expect(row?.refreshHash).toBe(hashRefreshToken(refreshToken));
    expect(JSON.stringify(row)).not.toContain(refreshToken);
    expect(row?.userAgent).toBe('jest');
    expect(service.isOpen(session)).toBe(true);
  });

  describe('rotate', () => {
    it('rotated: exchanges the current token for a new one and slides the expiry from now', async () => {
      const { session, refreshToken } = await open();
      clock.advance(10 * DAY_MS);

      const result = await service.rotate(refreshToken);

      expect(result).toEqual({
        kind: 'rotated',
        session: { ...session, expiresAt: new Date(clock.now().getTime() + TTL_DAYS * DAY_MS) },
        refreshToken: expect.any(String) as string,
      });
      if (result.kind !== 'rotated') throw new Error('not rotated');
      expect(result.refreshToken).not.toBe(refreshToken);
      expect(repo.row(session.id)?.refreshHash).toBe(hashRefreshToken(result.refreshToken));
      await expect(service.rotate(result.refreshToken)).resolves.toMatchObject({
        kind: 'rotated',
      });
      expect(revoked).toEqual([]);
    });

    it('reused: a token already rotated away revokes its whole session and announces SESSIONS_REVOKED', async () => {
      const { session, refreshToken: stolen } = await open();
      const other = await open();
      const rotated = await service.rotate(stolen);
      if (rotated.kind !== 'rotated') throw new Error('not rotated');

      await expect(service.rotate(stolen)).resolves.toEqual({ kind: 'reused', session });

      expect(repo.row(session.id)).toMatchObject({
        revokedAt: clock.now(),
        revokedReason: 'refresh token reused',
      });
      expect(revoked).toEqual([
        { userId: ALICE, sessionIds: [session.id], reason: 'refresh token reused' },
      ]);
      // The legitimate holder's newer token dies with the session; other devices do not.
      await expect(service.rotate(rotated.refreshToken)).resolves.toMatchObject({ kind: 'ended' });
      expect(await isActive(session.id)).toBe(false);
      expect(await isActive(other.session.id)).toBe(true);
    });

    it('reused: of two parallel refreshes with one token, one rotates and the other ends the session (no grace)', async () => {
      const { session, refreshToken } = await open();

      const results = await Promise.all([
        service.rotate(refreshToken),
        service.rotate(refreshToken),
      ]);

      expect(results.map((r) => r.kind)).toEqual(['rotated', 'reused']);
      expect(await isActive(session.id)).toBe(false);
      expect(revoked).toHaveLength(1);
    });

    it('ended: the current token of a revoked session revokes nothing more and announces nothing', async () => {
      const { session, refreshToken } = await open();
      await service.revoke(session, 'logout');
      revoked.length = 0;

      await expect(service.rotate(refreshToken)).resolves.toEqual({
        kind: 'ended',
        session: { ...session, revokedAt: clock.now() },
      });
      expect(repo.row(session.id)?.revokedReason).toBe('logout');
      expect(revoked).toEqual([]);
    });

    it('ended: the current token of a session past its expiry does not rotate', async () => {
      const { session, refreshToken } = await open();
      clock.advance(TTL_DAYS * DAY_MS);

      await expect(service.rotate(refreshToken)).resolves.toEqual({ kind: 'ended', session });
      expect(repo.row(session.id)?.refreshHash).toBe(hashRefreshToken(refreshToken));
      expect(revoked).toEqual([]);
    });

    it('invalid: a token no session knows changes nothing', async () => {
      const { session } = await open();

      await expect(service.rotate('A'.repeat(43))).resolves.toEqual({ kind: 'invalid' });
      expect(await isActive(session.id)).toBe(true);
      expect(revoked).toEqual([]);
    });
  });

  describe('expiry by the clock', () => {
    it('a session is open until its expiry instant, not at it', async () => {
      const { session } = await open();

      clock.advance(TTL_DAYS * DAY_MS - 1);
      expect(service.isOpen(session)).toBe(true);
      expect(await isActive(session.id)).toBe(true);

      clock.advance(1);
      expect(service.isOpen(session)).toBe(false);
      expect(await isActive(session.id)).toBe(false);
      await expect(service.find(session.id)).resolves.toEqual(session);
    });

    it('a revoked session is not open however far its expiry', async () => {
      const { session } = await open();
      await service.revoke(session, 'logout');
      expect(await isActive(session.id)).toBe(false);
    });

    it('an ill-formed session id finds nothing', async () => {
      await expect(service.findActive('not-a-session-id')).resolves.toBeNull();
    });
  });

  describe('revoke and revokeAll', () => {
    it('revoke ends one session and announces it', async () => {
      const { session } = await open();
      const other = await open();

      await service.revoke(session, 'logout');

      expect(await isActive(session.id)).toBe(false);
      expect(await isActive(other.session.id)).toBe(true);
      expect(revoked).toEqual([{ userId: ALICE, sessionIds: [session.id], reason: 'logout' }]);
    });

    it('revokeAll ends every open session of the user but the current one, and announces exactly those', async () => {
      const current = await open();
      const laptop = await open();
      const phone = await open();
      const earlier = await open();
      await service.revoke(earlier.session, 'logout');
      const bobs = await open(BOB);
      revoked.length = 0;

      await service.revokeAll(ALICE, 'password changed', current.session.id);

      expect(await isActive(current.session.id)).toBe(true);
      expect(await isActive(laptop.session.id)).toBe(false);
      expect(await isActive(phone.session.id)).toBe(false);
      expect(await isActive(bobs.session.id)).toBe(true);
      expect(repo.row(earlier.session.id)?.revokedReason).toBe('logout');
      expect(revoked).toEqual([
        {
          userId: ALICE,
          sessionIds: [laptop.session.id, phone.session.id],
          reason: 'password changed',
        },
      ]);
    });

    it('revokeAll without an exception ends every session of the user', async () => {
      const one = await open();
      const two = await open();

      await service.revokeAll(ALICE, 'logout everywhere');

      expect(await isActive(one.session.id)).toBe(false);
      expect(await isActive(two.session.id)).toBe(false);
      expect(revoked[0]?.sessionIds).toEqual([one.session.id, two.session.id]);
    });
  });

  describe('USERS_CHANGED', () => {
    it.each([
      ['a ban', { banned: true }, 'banned'],
      ['a deletion', { deleted: true }, 'user deleted'],
      ['a deletion of a banned account', { deleted: true, banned: true }, 'user deleted'],
    ])('%s ends every session of the account', async (_, change, reason) => {
      const one = await open();
      const two = await open();
      const bobs = await open(BOB);

      await bus.emitAsync(USERS_CHANGED, { userId: ALICE, ...change } satisfies UsersChanged);

      expect(await isActive(one.session.id)).toBe(false);
      expect(await isActive(two.session.id)).toBe(false);
      expect(await isActive(bobs.session.id)).toBe(true);
      expect(repo.row(one.session.id)?.revokedReason).toBe(reason);
      expect(revoked).toEqual([
        { userId: ALICE, sessionIds: [one.session.id, two.session.id], reason },
      ]);
    });

    it('an unban or a role change ends no session', async () => {
      const { session } = await open();

      await bus.emitAsync(USERS_CHANGED, { userId: ALICE, banned: false } satisfies UsersChanged);
      await bus.emitAsync(USERS_CHANGED, { userId: ALICE } satisfies UsersChanged);

      expect(await isActive(session.id)).toBe(true);
      expect(revoked).toEqual([]);
    });
  });

  describe('when the session store fails', () => {
    it('a failed revocation of a reused token announces nothing, and the next replay revokes', async () => {
      const { session, refreshToken: stolen } = await open();
      await service.rotate(stolen);
      repo.failNext('revoke');

      await expect(service.rotate(stolen)).rejects.toBeInstanceOf(SessionStoreDown);
      expect(revoked).toEqual([]);
      expect(await isActive(session.id)).toBe(true);

      await expect(service.rotate(stolen)).resolves.toMatchObject({ kind: 'reused' });
      expect(await isActive(session.id)).toBe(false);
      expect(revoked).toHaveLength(1);
    });

    it('a failed rotation leaves the token current, so a retry rotates', async () => {
      const { session, refreshToken } = await open();
      repo.failNext('rotate');

      await expect(service.rotate(refreshToken)).rejects.toBeInstanceOf(SessionStoreDown);
      expect(repo.row(session.id)?.refreshHash).toBe(hashRefreshToken(refreshToken));

      await expect(service.rotate(refreshToken)).resolves.toMatchObject({ kind: 'rotated' });
    });

    it('a failed revokeAll announces nothing and leaves the sessions open', async () => {
      const { session } = await open();
      repo.failNext('revokeAllOf');

      await expect(service.revokeAll(ALICE, 'logout everywhere')).rejects.toBeInstanceOf(
        SessionStoreDown,
      );
      expect(revoked).toEqual([]);
      expect(await isActive(session.id)).toBe(true);
    });

    it('a failed revocation on a ban rejects the listener rather than being swallowed', async () => {
      await open();
      repo.failNext('revokeAllOf');

      await expect(
        bus.emitAsync(USERS_CHANGED, { userId: ALICE, banned: true } satisfies UsersChanged),
      ).rejects.toBeInstanceOf(SessionStoreDown);
      expect(revoked).toEqual([]);
    });

    it('a failed open surfaces and creates nothing', async () => {
      repo.failNext('create');
      await expect(open()).rejects.toBeInstanceOf(SessionStoreDown);
    });
  });
});
