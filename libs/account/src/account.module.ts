import { Module } from '@nestjs/common';
import { AdminModule } from '@app/admin';
import { AccountsModule, AuthModule } from '@app/auth';
import { AvatarsModule } from '@app/avatars';
import { CapsulesModule } from '@app/capsules';
import { CouponsModule } from '@app/coupons';
import { InvitesModule } from '@app/invites';
import { MessagesModule } from '@app/messages';
import { ReportsModule } from '@app/reports';
import { SponsorsModule } from '@app/sponsors';
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
    CouponsModule,
    InvitesModule,
    MessagesModule,
    ReportsModule,
    SponsorsModule,
    TokensModule,
    UsersModule,
  ],
  controllers: [AccountController],
  providers: [AccountService],
})
export class AccountModule {}
