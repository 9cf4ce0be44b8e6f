import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CapsulesModule } from '@app/capsules';
import { InvitesModule } from '@app/invites';
import { MessagesModule } from '@app/messages';
import { ReportsModule } from '@app/reports';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';

@Module({
  imports: [
    AuthModule,
    CapsulesModule,
    InvitesModule,
    MessagesModule,
    ReportsModule,
    TokensModule,
    UsersModule,
  ],
  controllers: [AccountController],
  providers: [AccountService],
})
export class AccountModule {}
