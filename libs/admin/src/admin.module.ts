import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CouponsModule } from '@app/coupons';
import { InvitesModule } from '@app/invites';
import { AuditEntry, AuditEntrySchema } from './audit/audit-entry.schema';
import { AuditController } from './audit/audit.controller';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AdminCouponsController } from './coupons/admin-coupons.controller';
import { AdminCouponsService } from './coupons/admin-coupons.service';
import { AdminInvitesController } from './invites/admin-invites.controller';
import { AdminInvitesService } from './invites/admin-invites.service';

/** The /admin routes: admin role only, every change written to the audit log. */
@Module({
  imports: [
    CouponsModule,
    InvitesModule,
    MongooseModule.forFeature([{ name: AuditEntry.name, schema: AuditEntrySchema }]),
  ],
  controllers: [AuditController, AdminCouponsController, AdminInvitesController],
  providers: [AuditRepository, AuditService, AdminCouponsService, AdminInvitesService],
  exports: [AuditService],
})
export class AdminModule {}
