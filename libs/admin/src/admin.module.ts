import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CouponsModule } from '@app/coupons';
import { InvitesModule } from '@app/invites';
import { SponsorsModule } from '@app/sponsors';
import { AuditEntry, AuditEntrySchema } from './audit/audit-entry.schema';
import { AuditController } from './audit/audit.controller';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AdminCouponsController } from './coupons/admin-coupons.controller';
import { AdminCouponsService } from './coupons/admin-coupons.service';
import { AdminInvitesController } from './invites/admin-invites.controller';
import { AdminInvitesService } from './invites/admin-invites.service';
import { AdminSponsorsController } from './sponsors/admin-sponsors.controller';
import { AdminSponsorsService } from './sponsors/admin-sponsors.service';

/** The /admin routes: admin role only, every change written to the audit log. */
@Module({
  imports: [
    CouponsModule,
    InvitesModule,
    SponsorsModule,
    MongooseModule.forFeature([{ name: AuditEntry.name, schema: AuditEntrySchema }]),
  ],
  controllers: [
    AuditController,
    AdminCouponsController,
    AdminInvitesController,
    AdminSponsorsController,
  ],
  providers: [
    AuditRepository,
    AuditService,
    AdminCouponsService,
    AdminInvitesService,
    AdminSponsorsService,
  ],
  exports: [AuditService],
})
export class AdminModule {}
