import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { newestFirst } from '@app/database';
import { AuditEntry } from './audit-entry.schema';
import type { AuditAction, AuditEntryRecord, NewAuditEntry } from './audit.record';

type AuditDoc = AuditEntry & { _id: Types.ObjectId };

function toRecord(doc: AuditDoc): AuditEntryRecord {
  return {
    id: doc._id.toHexString(),
    actorId: doc.actorId.toHexString(),
    action: doc.action,
    target: { type: doc.target.type, id: doc.target.id },
    details: doc.details,
    createdAt: doc.createdAt,
  };
}

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEntry.name) private readonly entries: Model<AuditEntry>) {}

  async append(entry: NewAuditEntry & { createdAt: Date }): Promise<AuditEntryRecord> {
    const created = await this.entries.create({
      ...entry,
      actorId: new Types.ObjectId(entry.actorId),
    });
    return toRecord(created.toObject<AuditDoc>());
  }

  /** Empties the details (before and after) of the entries about this user. */
  async eraseDetailsAbout(userId: string): Promise<void> {
    await this.entries.updateMany(
      { 'target.type': 'user', 'target.id': userId },
      { $set: { details: { erased: true } } },
    );
  }

  /** Newest first, after the cursor entry when one is given; limit + 1 rows for paging. */
  async page(
    cursor: string | undefined,
    limit: number,
    action: AuditAction | undefined,
  ): Promise<AuditEntryRecord[]> {
    const filter = action ? { action } : {};
    const docs = await newestFirst(this.entries, filter, cursor, limit).lean<AuditDoc[]>();
    return docs.map(toRecord);
  }
}
