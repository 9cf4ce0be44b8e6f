import { Module } from '@nestjs/common';
import { AdminModule } from '@app/admin';
import { AccountsModule, AuthModule } from '@app/auth';
import { AvatarsModule } from '@app/avatars';
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
    AccountsModule,
    AdminModule,
    AuthModule,
    AvatarsModule,
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
