import { Module } from '@nestjs/common';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';
import { AccountsService } from './accounts.service';
import { PasswordHasher } from './password-hasher';

/** Account creation on its own, for the API's signup and the CLI's admin:create. */
@Module({
  imports: [UsersModule, TokensModule],
  providers: [AccountsService, PasswordHasher],
  exports: [AccountsService, PasswordHasher, UsersModule, TokensModule],
})
export class AccountsModule {}
