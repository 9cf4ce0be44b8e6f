import { Injectable } from '@nestjs/common';
import { DomainError, type AuthUser } from '@app/common';
import { InvitesService } from '@app/invites';
import { TokensService } from '@app/tokens';
import { toUserPrivate, type UserPrivateDto, type UserRecord, UsersService } from '@app/users';
import { AccessTokens } from './access-tokens';
import { AccountsService } from './accounts.service';
import type { ChangePasswordDto, LoginDto, SignupDto } from './dto/auth.dto';
import { LoginAttempts } from './login-attempts';
import { PasswordResetsService } from './password-reset/password-resets.service';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions/sessions.service';

export interface Client {
  address: string;
  userAgent: string | null;
}

export interface SignedIn {
  user: UserPrivateDto;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

export interface Refreshed {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly invites: InvitesService,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokens,
    private readonly hasher: PasswordHasher,
    private readonly attempts: LoginAttempts,
    private readonly resets: PasswordResetsService,
  ) {}

  /**
   * The invite is consumed first (one atomic use) and given back if the account cannot be
   * created, so parallel signups with a single-use code create exactly one account. Only a
   * holder of a valid invite learns that an email is already registered (409).
   */
  async signup(dto: SignupDto, client: Client): Promise<SignedIn> {
    this.accounts.checkBirthDate(dto.birthDate);
    const invite = await this.invites.consume(dto.inviteCode);
    let user: UserRecord;
    try {
      user = await this.accounts.create({
        email: dto.email,
        password: dto.password,
        displayName: dto.displayName,
        birthDate: dto.birthDate,
        role: invite.grantsAdmin ? 'admin' : 'user',
        invitedBy: invite.createdBy,
      });
    } catch (error) {
      await this.invites.release(invite);
      throw error;
    }
    await this.invites.recordUse(invite, user.id);
    return this.signIn(user, client);
  }

  /** Wrong email and wrong password answer the same 401, in the same time. */
  async login(dto: LoginDto, client: Client): Promise<SignedIn> {
    await this.attempts.begin(client.address, dto.email);
    const user = await this.users.findByEmail(dto.email);
    if (!(await this.hasher.verify(dto.password, user?.passwordHash)) || !user) {
      throw DomainError.unauthorized('Wrong email or password');
    }
    await this.attempts.succeeded(client.address, dto.email);
    if (user.banned) throw DomainError.accountBanned();
    return this.signIn(user, client);
  }

  async refresh(refreshToken: string): Promise<Refreshed> {
    const result = await this.sessions.rotate(refreshToken);
    if (result.kind === 'reused') {
      throw DomainError.unauthorized('This refresh token was already used; the session is revoked');
    }
    if (result.kind === 'invalid') {
      throw DomainError.unauthorized('Unknown, expired or revoked refresh token');
    }
    const user = await this.users.findById(result.session.userId);
    if (user?.banned) {
      if (result.kind === 'rotated') await this.sessions.revoke(result.session, 'banned');
      throw DomainError.accountBanned();
    }
    if (!user || result.kind === 'ended') {
      throw DomainError.unauthorized('Unknown, expired or revoked refresh token');
    }
    const accessToken = this.accessTokens.issue({
      sub: user.id,
      role: user.role,
      sid: result.session.id,
    });
    return {
      accessToken,
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken: result.refreshToken,
    };
  }

  async logout(caller: AuthUser): Promise<void> {
    const session = await this.sessions.findActive(caller.sessionId);
    if (session) await this.sessions.revoke(session, 'logout');
  }

  logoutAll(caller: AuthUser): Promise<void> {
    return this.sessions.revokeAll(caller.id, 'logout everywhere');
  }

  /** A wrong current password counts as a failed login of the account. */
  async changePassword(caller: AuthUser, dto: ChangePasswordDto, client: Client): Promise<void> {
    const user = await this.users.getById(caller.id);
    await this.attempts.begin(client.address, user.email);
    if (!(await this.hasher.verify(dto.currentPassword, user.passwordHash))) {
      throw DomainError.validation([
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
    }
    await this.attempts.succeeded(client.address, user.email);
    await this.users.setPasswordHash(user.id, await this.hasher.hash(dto.newPassword));
    // A reset link asked for earlier would undo the change: it stops working.
    await this.resets.cancelFor(user.id);
    await this.sessions.revokeAll(user.id, 'password changed', caller.sessionId);
  }

  private async signIn(user: UserRecord, client: Client): Promise<SignedIn> {
    const { session, refreshToken } = await this.sessions.open(user.id, client.userAgent);
    const accessToken = this.accessTokens.issue({ sub: user.id, role: user.role, sid: session.id });
    const balance = await this.tokens.balance(user.id);
    return {
      user: toUserPrivate(user, balance),
      accessToken,
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken,
    };
  }
}
