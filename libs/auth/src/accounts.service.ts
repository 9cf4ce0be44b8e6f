import { Injectable } from '@nestjs/common';
import { AppConfig, type Role } from '@app/common';
import { TokensService } from '@app/tokens';
import { type UserRecord, UsersService } from '@app/users';
import { PasswordHasher } from './password-hasher';

export interface AccountInput {
  email: string;
  password: string;
  displayName: string;
  birthDate: string;
  role: Role;
  invitedBy: string | null;
}

/**
 * Creates accounts, for signup and for the admin:create command alike: checks the birth date,
 * hashes the password, creates the user and grants the signup tokens as a ledger entry (the
 * user is removed again if that grant fails).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  /** Refuses, before anything is written, a birth date in the future or too recent. */
  checkBirthDate(birthDate: string): void {
    this.users.checkBirthDate(birthDate);
  }

  async create(input: AccountInput): Promise<UserRecord> {
    this.users.checkBirthDate(input.birthDate);
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.create({
      email: input.email,
      passwordHash,
      displayName: input.displayName,
      birthDate: input.birthDate,
      role: input.role,
      invitedBy: input.invitedBy,
    });
    const tokens = this.config.get('SIGNUP_TOKENS');
    try {
      if (tokens > 0) await this.tokens.grant(user.id, tokens, 'signup');
    } catch (error) {
      await this.users.deleteById(user.id);
      throw error;
    }
    return user;
  }
}
