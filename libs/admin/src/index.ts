export { AdminModule } from './admin.module';
export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntryRecord,
  type AuditTarget,
  type NewAuditEntry,
} from './audit/audit.record';
export { AuditService } from './audit/audit.service';
