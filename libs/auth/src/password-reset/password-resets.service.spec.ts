import { Logger } from '@nestjs/common';
import { AppConfig, DomainError, loadConfig, ManualClock } from '@app/common';
import type { Mail, Mailer, SentMail } from '@app/mail';
import type { UserRecord, UsersService } from '@app/users';
import { hashOpaqueToken } from '../opaque-token';
import type { PasswordHasher } from '../password-hasher';
import type { SessionsService } from '../sessions/sessions.service';
import type { PasswordResetsRepository } from './password-resets.repository';
import { PasswordResetsService, RESET_TOKEN_INVALID_MESSAGE } from './password-resets.service';

const MINUTE_MS = 60_000;
const URL = 'https://app.example/reset?token=';

/** The pending resets in memory, with the repository's rules: one per user, consumed once. */
class FakeResets {
  readonly byUser = new Map<string, { tokenHash: string; expiresAt: Date }>();

  replaceFor(userId: string, tokenHash: string, _now: Date, expiresAt: Date): Promise<void> {
    this.byUser.set(userId, { tokenHash, expiresAt });
    return Promise.resolve();
  }

  consume(tokenHash: string, now: Date): Promise<string | null> {
    for (const [userId, reset] of this.byUser) {
      if (reset.tokenHash === tokenHash && reset.expiresAt > now) {
        this.byUser.delete(userId);
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
    expect(resets.byUser.get(accounts[0].id)).toEqual({
      tokenHash: hashOpaqueToken(token),
      expiresAt: new Date(clock.now().getTime() + 30 * MINUTE_MS),
    });
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

  it('refuses an expired, replaced, malformed or orphaned token without touching any password', async () => {
    const invalid = new DomainError('RESET_TOKEN_INVALID', RESET_TOKEN_INVALID_MESSAGE);
    const replaced = await requestToken();
    const expired = await requestToken();
    clock.advance(30 * MINUTE_MS);
    await expect(service.reset(expired, 'a brand new password')).rejects.toEqual(invalid);
    await expect(service.reset(replaced, 'a brand new password')).rejects.toEqual(invalid);
    await expect(service.reset('not-a-token', 'a brand new password')).rejects.toEqual(invalid);
    const orphaned = await requestToken();
    accounts.length = 0;
    await expect(service.reset(orphaned, 'a brand new password')).rejects.toEqual(invalid);
    expect(setPasswordHash).not.toHaveBeenCalled();
    expect(revokeAll).not.toHaveBeenCalled();
  });
});
