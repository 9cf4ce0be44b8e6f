import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CouponsModule } from '@app/coupons';
import { InvitesModule } from '@app/invites';
import { MessagesModule } from '@app/messages';
import { ReportsModule } from '@app/reports';
import { SponsorsModule } from '@app/sponsors';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';
import { AuditEntry, AuditEntrySchema } from './audit/audit-entry.schema';
import { AuditController } from './audit/audit.controller';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AdminCouponsController } from './coupons/admin-coupons.controller';
import { AdminCouponsService } from './coupons/admin-coupons.service';
import { AdminInvitesController } from './invites/admin-invites.controller';
import { AdminInvitesService } from './invites/admin-invites.service';
import { AdminMessagesController } from './reports/admin-messages.controller';
import { AdminReportsController } from './reports/admin-reports.controller';
import { AdminReportsService } from './reports/admin-reports.service';
import { AdminSponsorsController } from './sponsors/admin-sponsors.controller';
import { AdminSponsorsService } from './sponsors/admin-sponsors.service';
import { AdminStatsModule } from './stats/admin-stats.module';
import { AdminUsersController } from './users/admin-users.controller';
import { AdminUsersService } from './users/admin-users.service';

/** The /admin routes: admin role only, every change written to the audit log. */
@Module({
  imports: [
    CouponsModule,
    InvitesModule,
    MessagesModule,
    ReportsModule,
    SponsorsModule,
    TokensModule,
    UsersModule,
    AdminStatsModule,
    MongooseModule.forFeature([{ name: AuditEntry.name, schema: AuditEntrySchema }]),
  ],
  controllers: [
    AuditController,
    AdminCouponsController,
    AdminInvitesController,
    AdminMessagesController,
    AdminReportsController,
    AdminSponsorsController,
    AdminUsersController,
  ],
  providers: [
    AuditRepository,
    AuditService,
    AdminCouponsService,
    AdminInvitesService,
    AdminReportsService,
    AdminSponsorsService,
    AdminUsersService,
  ],
  exports: [AuditService],
})
export class AdminModule {}
