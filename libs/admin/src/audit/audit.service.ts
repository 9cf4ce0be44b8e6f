import { Injectable } from '@nestjs/common';
import { Clock, type Page, toPage } from '@app/common';
import type { AuditAction, AuditEntryRecord, NewAuditEntry } from './audit.record';
import { AuditRepository } from './audit.repository';

/** The audit log of admin changes: written after each change, read newest first. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(entry: NewAuditEntry): Promise<AuditEntryRecord> {
    return this.audit.append({ ...entry, createdAt: this.clock.now() });
  }

  /**
   * The one change made to written entries: when an account is deleted, the entries about it keep
   * who did what and when, but their details (the before and after, which held its email,
   * display name or birth date) become `{erased: true}`.
   */
  eraseDetailsAbout(userId: string): Promise<void> {
    return this.audit.eraseDetailsAbout(userId);
  }

  async list(
    cursor: string | undefined,
    limit: number,
    action?: AuditAction,
  ): Promise<Page<AuditEntryRecord>> {
    return toPage(await this.audit.page(cursor, limit, action), limit);
  }
}
