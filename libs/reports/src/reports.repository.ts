import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { duplicateKeyFields, newestFirst } from '@app/database';
import { Report, type ReportAuthorDoc } from './report.schema';
import type {
  NewReport,
  ReportOutcome,
  ReportRecord,
  ReportResolution,
  ReportStatus,
} from './report.record';

/** inserted, or `duplicate` when this user already reported this message. */
export type ReportInsertOutcome =
  { kind: 'inserted'; report: ReportRecord } | { kind: 'duplicate' };

type ReportDoc = Report & { _id: Types.ObjectId };

function toRecord(doc: ReportDoc): ReportRecord {
  const { evidence, resolution } = doc;
  return {
    id: doc._id.toHexString(),
    messageId: doc.messageId.toHexString(),
    reporterId: doc.reporterId.toHexString(),
    reason: doc.reason,
    evidence: {
      text: evidence.text,
      authorId: evidence.authorId.toHexString(),
      author: {
        id: evidence.author.id,
        displayName: evidence.author.displayName,
        avatarUrl: evidence.author.avatarUrl,
        bio: evidence.author.bio,
      },
      roomKey: evidence.roomKey,
      messageCreatedAt: evidence.messageCreatedAt,
    },
    status: doc.status,
    resolution: resolution
      ? {
          action: resolution.action,
          outcome: resolution.outcome,
          note: resolution.note,
          resolvedBy: resolution.resolvedBy.toHexString(),
          resolvedAt: resolution.resolvedAt,
        }
      : null,
    createdAt: doc.createdAt,
  };
}

function resolutionDoc(resolution: ReportResolution) {
  return { ...resolution, resolvedBy: new Types.ObjectId(resolution.resolvedBy) };
}

@Injectable()
export class ReportsRepository {
  constructor(@InjectModel(Report.name) private readonly reports: Model<Report>) {}

  /** Stores an open report; the unique index {messageId, reporterId} turns a twin into `duplicate`. */
  async insert(report: NewReport): Promise<ReportInsertOutcome> {
    try {
      const created = await this.reports.create({
        ...report,
        messageId: new Types.ObjectId(report.messageId),
        reporterId: new Types.ObjectId(report.reporterId),
        evidence: { ...report.evidence, authorId: new Types.ObjectId(report.evidence.authorId) },
        status: 'open',
        resolution: null,
      });
      return { kind: 'inserted', report: toRecord(created.toObject<ReportDoc>()) };
    } catch (error) {
      if (duplicateKeyFields(error)?.includes('reporterId')) return { kind: 'duplicate' };
      throw error;
    }
  }

  async findById(id: string): Promise<ReportRecord | null> {
    const doc = await this.reports.findById(id).lean<ReportDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Replaces the author's public view in the evidence of reports of their messages. */
  async forgetAuthor(authorId: string, author: ReportAuthorDoc): Promise<void> {
    await this.reports.updateMany(
      { 'evidence.authorId': new Types.ObjectId(authorId) },
      { $set: { 'evidence.author': author } },
    );
  }

  /** Every report the user filed, oldest first. */
  async filedBy(reporterId: string): Promise<ReportRecord[]> {
    const docs = await this.reports
      .find({ reporterId: new Types.ObjectId(reporterId) })
      .sort({ reporterId: 1, _id: 1 })
      .lean<ReportDoc[]>();
    return docs.map(toRecord);
  }

  /** Newest first, after the cursor when given, of one status or all; limit + 1 rows. */
  async page(
    status: ReportStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<ReportRecord[]> {
    const filter = status ? { status } : {};
    const docs = await newestFirst(this.reports, filter, cursor, limit).lean<ReportDoc[]>();
    return docs.map(toRecord);
  }

  /**
   * Resolves the report only if it is still open (one conditional update): of parallel resolves,
   * exactly one gets the report back; the others get null.
   */
  async resolveIfOpen(id: string, resolution: ReportResolution): Promise<ReportRecord | null> {
    const doc = await this.reports
      .findOneAndUpdate(
        { _id: new Types.ObjectId(id), status: 'open' },
        { $set: { status: 'resolved', resolution: resolutionDoc(resolution) } },
        { returnDocument: 'after' },
      )
      .lean<ReportDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Sets what the resolution turned out to do, once its action ran. */
  async setOutcome(id: string, outcome: ReportOutcome): Promise<ReportRecord | null> {
    const doc = await this.reports
      .findOneAndUpdate(
        { _id: new Types.ObjectId(id), status: 'resolved' },
        { $set: { 'resolution.outcome': outcome } },
        { returnDocument: 'after' },
      )
      .lean<ReportDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Opens again a report this resolver resolved (its action then failed). */
  async reopen(id: string, resolvedAt: Date): Promise<void> {
    await this.reports.updateOne(
      { _id: new Types.ObjectId(id), status: 'resolved', 'resolution.resolvedAt': resolvedAt },
      { $set: { status: 'open', resolution: null } },
    );
  }

  /** Resolves every open report of the message, each by the same conditional update; their ids. */
  async resolveOpenOfMessage(messageId: string, resolution: ReportResolution): Promise<string[]> {
    const filter = { messageId: new Types.ObjectId(messageId), status: 'open' as const };
    const open = await this.reports.find(filter, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
    const resolved = await Promise.all(
      open.map((doc) => this.resolveIfOpen(doc._id.toHexString(), resolution)),
    );
    return resolved.flatMap((report) => (report ? [report.id] : []));
  }
}
