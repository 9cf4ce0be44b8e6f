import { Logger } from '@nestjs/common';
import { AppConfig, DomainError, loadConfig, ManualClock } from '@app/common';
import type { Mail, Mailer, SentMail } from '@app/mail';
import type { UserRecord, UsersService } from '@app/users';
import { hashOpaqueToken } from '../opaque-token';
import type { PasswordHasher } from '../password-hasher';
import type { SessionsService } from '../sessions/sessions.service';
import {
  PENDING_RESETS_PER_USER,
  type PasswordResetsRepository,
} from './password-resets.repository';
import { PasswordResetsService, RESET_TOKEN_INVALID_MESSAGE } from './password-resets.service';

const MINUTE_MS = 60_000;
const URL = 'https://app.example/reset?token=';

/**
 * The pending resets in memory, with the repository's rules: up to PENDING_RESETS_PER_USER per
 * user (oldest first in each list, dropped beyond the limit), each consumed once.
 */
class FakeResets {
  readonly byUser = new Map<string, { tokenHash: string; expiresAt: Date }[]>();

  add(userId: string, tokenHash: string, _now: Date, expiresAt: Date): Promise<void> {
    const pending = [...(this.byUser.get(userId) ?? []), { tokenHash, expiresAt }];
    this.byUser.set(userId, pending.slice(-PENDING_RESETS_PER_USER));
    return Promise.resolve();
  }

  deleteFor(userId: string): Promise<void> {
    this.byUser.delete(userId);
    return Promise.resolve();
  }

  consume(tokenHash: string, now: Date): Promise<string | null> {
    for (const [userId, pending] of this.byUser) {
      const index = pending.findIndex(
        (reset) => reset.tokenHash === tokenHash && reset.expiresAt > now,
      );
      if (index >= 0) {
        pending.splice(index, 1);
        return Promise.resolve(userId);
      }
    }
    return Promise.resolve(null);
  }
}

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: '64b000000000000000000a11',
    email: 'ada@example.com',
    passwordHash: 'old hash',
    displayName: 'Ada',
    bio: '',
    avatarUrl: null,
    birthDate: '1990-05-17',
    rooms: [],
    role: 'user',
    banned: false,
    invitedBy: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe('PasswordResetsService', () => {
  let clock: ManualClock;
  let resets: FakeResets;
  let accounts: UserRecord[];
  let sent: Mail[];
  let mailer: { available: boolean; delivery: string; send: jest.Mock<Promise<SentMail>, [Mail]> };
  let revokeAll: jest.Mock;
  let setPasswordHash: jest.Mock;
  let service: PasswordResetsService;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    resets = new FakeResets();
    accounts = [user()];
    sent = [];
    mailer = {
      available: true,
      delivery: 'smtp',
      send: jest.fn((mail: Mail) => {
        sent.push(mail);
        return Promise.resolve({ file: null });
      }),
    };
    revokeAll = jest.fn(() => Promise.resolve());
    setPasswordHash = jest.fn(() => Promise.resolve());
    const users = {
      findByEmail: (email: string) =>
        Promise.resolve(accounts.find((candidate) => candidate.email === email) ?? null),
      findById: (id: string) =>
        Promise.resolve(accounts.find((candidate) => candidate.id === id) ?? null),
      setPasswordHash,
    };
    const hasher = { hash: (password: string) => Promise.resolve(`hash of ${password}`) };
    service = new PasswordResetsService(
      resets as unknown as PasswordResetsRepository,
      users as unknown as UsersService,
      { revokeAll } as unknown as SessionsService,
      hasher as unknown as PasswordHasher,
      mailer as unknown as Mailer,
      new AppConfig(loadConfig({ PASSWORD_RESET_URL: URL })),
      clock,
    );
  });

  async function requestToken(email = 'ada@example.com'): Promise<string> {
    service.request(email);
    await service.idle();
    const link =
      sent
        .at(-1)
        ?.text.split('\n')
        .find((line) => line.startsWith(URL)) ?? '';
    return link.slice(URL.length);
  }

  it('mails a link with a fresh 256-bit token and stores only its hash, valid 30 minutes', async () => {
    const token = await requestToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(resets.byUser.get(accounts[0].id)).toEqual([
      {
        tokenHash: hashOpaqueToken(token),
        expiresAt: new Date(clock.now().getTime() + 30 * MINUTE_MS),
      },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe('ada@example.com');
  });

  it('sends nothing for an unknown email or a banned account, and still returns at once', async () => {
    accounts.push(user({ id: '64b000000000000000000b0b', email: 'bob@example.com', banned: true }));
    service.request('nobody@example.com');
    service.request('bob@example.com');
    await service.idle();
    expect(sent).toEqual([]);
    expect(resets.byUser.size).toBe(0);
  });

  it('refuses every email alike with SERVICE_UNAVAILABLE when no mail can be sent', () => {
    mailer.available = false;
    for (const email of ['ada@example.com', 'nobody@example.com']) {
      expect(() => {
        service.request(email);
      }).toThrow(new DomainError('SERVICE_UNAVAILABLE', 'Password reset by mail is not available'));
    }
  });

  it('swallows a failing mail: the request has been answered, the failure is logged, idle() resolves', async () => {
    mailer.send.mockRejectedValueOnce(new Error('SMTP down'));
    service.request('ada@example.com');
    await expect(service.idle()).resolves.toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('sets the password hash and ends every session, once per token', async () => {
    const token = await requestToken();
    await service.reset(token, 'a brand new password');
    expect(setPasswordHash).toHaveBeenCalledWith(accounts[0].id, 'hash of a brand new password');
    expect(revokeAll).toHaveBeenCalledWith(accounts[0].id, 'password reset');
    await expect(service.reset(token, 'another password')).rejects.toEqual(
      new DomainError('RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE),
    );
    expect(setPasswordHash).toHaveBeenCalledTimes(1);
  });

  it('keeps three pending tokens per user, each working once: a fourth request drops the oldest', async () => {
    const invalid = new DomainError('RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    const tokens = [await requestToken(), await requestToken(), await requestToken()];
    expect(new Set(tokens).size).toBe(3);
    expect(resets.byUser.get(accounts[0].id)?.map((reset) => reset.tokenHash)).toEqual(
      tokens.map(hashOpaqueToken),
    );
    const fourth = await requestToken();
    expect(resets.byUser.get(accounts[0].id)?.map((reset) => reset.tokenHash)).toEqual(
      [...tokens.slice(1), fourth].map(hashOpaqueToken),
    );
    await expect(service.reset(tokens[0], 'a brand new password')).rejects.toEqual(invalid);
    expect(setPasswordHash).not.toHaveBeenCalled();
  });

  it('ends every pending token of the user on a successful reset', async () => {
    const invalid = new DomainError('RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    const [first, second, third] = [
      await requestToken(),
      await requestToken(),
      await requestToken(),
    ];
    await service.reset(second, 'a brand new password');
    expect(resets.byUser.has(accounts[0].id)).toBe(false);
    for (const token of [first, second, third]) {
      await expect(service.reset(token, 'another password')).rejects.toEqual(invalid);
    }
    expect(setPasswordHash).toHaveBeenCalledTimes(1);
  });

  it('ends every pending token of the user when the password changes another way', async () => {
    await requestToken();
    await requestToken();
    await service.cancelFor(accounts[0].id);
    expect(resets.byUser.has(accounts[0].id)).toBe(false);
  });

  it('refuses an expired, dropped, malformed or orphaned token without touching any password', async () => {
    const invalid = new DomainError('RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    const dropped = await requestToken();
    const expired = await requestToken();
    await requestToken();
    await requestToken();
    clock.advance(30 * MINUTE_MS);
    await expect(service.reset(expired, 'a brand new password')).rejects.toEqual(invalid);
    await expect(service.reset(dropped, 'a brand new password')).rejects.toEqual(invalid);
    await expect(service.reset('not-a-token', 'a brand new password')).rejects.toEqual(invalid);
    const orphaned = await requestToken();
    accounts.length = 0;
    await expect(service.reset(orphaned, 'a brand new password')).rejects.toEqual(invalid);
    expect(setPasswordHash).not.toHaveBeenCalled();
    expect(revokeAll).not.toHaveBeenCalled();
  });
});
