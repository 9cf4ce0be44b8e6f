import { Injectable } from '@nestjs/common';
import { Clock, DomainError, type Page, toPage } from '@app/common';
import { MessagesService } from '@app/messages';
import { RoomsService } from '@app/rooms';
import { deletedUserView, type UserPublicDto, UsersService } from '@app/users';
import type { ReportOutcome, ReportRecord, ReportResolution, ReportStatus } from './report.record';
import { checkReportReason } from './report-rules';
import { ReportsRepository } from './reports.repository';

/** A report with its reporter's current public view, as the admin queue shows it. */
export interface ReportView extends ReportRecord {
  reporter: UserPublicDto;
}

/**
 * Reports of messages: filed by members of the message's room, once each, with a copy of the
 * message as evidence; resolved once, by an admin (the admin lib decides what a resolution does).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly messages: MessagesService,
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /**
   * In order: the reason (400), the message (404), membership of its room (403), not one's own
   * message (403), then the write: a second report of the same message by the same user, even a
   * parallel one, answers 409 (the unique index decides).
   */
  async report(reporterId: string, messageId: string, rawReason: unknown): Promise<ReportRecord> {
    const reason = checkReportReason(rawReason);
    const message = await this.messages.get(messageId);
    await this.rooms.requireMember(reporterId, message.roomKey);
    if (message.author.id === reporterId) {
      throw DomainError.forbidden('You cannot report your own message');
    }
    const outcome = await this.reports.insert({
      messageId: message.id,
      reporterId,
      reason,
      evidence: {
        text: message.text,
        authorId: message.author.id,
        author: message.author,
        roomKey: message.roomKey,
        messageCreatedAt: new Date(message.createdAt),
      },
      createdAt: this.clock.now(),
    });
    if (outcome.kind === 'duplicate') {
      throw DomainError.conflict('You have already reported this message');
    }
    return outcome.report;
  }

  /**
   * The author of reported messages deleted their account: the evidence keeps the text and the
   * room, and shows them as a deleted user.
   */
  forgetAuthor(authorId: string): Promise<void> {
    return this.reports.forgetAuthor(authorId, deletedUserView(authorId));
  }

  /** Every report the user filed, oldest first. */
  filedBy(reporterId: string): Promise<ReportRecord[]> {
    return this.reports.filedBy(reporterId);
  }

  async get(id: string): Promise<ReportRecord> {
    const report = await this.reports.findById(id);
    if (!report) throw DomainError.notFound('No such report');
    return report;
  }

  /** The queue, newest first, of one status or all, each with its reporter's public view. */
  async list(
    status: ReportStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ReportView>> {
    const page = toPage(await this.reports.page(status, cursor, limit), limit);
    const reporters = await this.users.publicViews(page.items.map((r) => r.reporterId));
    return {
      items: page.items.map((report) => ({
        ...report,
        reporter: reporters.get(report.reporterId) ?? deletedUserView(report.reporterId),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** The report with its reporter's current public view. */
  async withReporter(report: ReportRecord): Promise<ReportView> {
    const reporters = await this.users.publicViews([report.reporterId]);
    return {
      ...report,
      reporter: reporters.get(report.reporterId) ?? deletedUserView(report.reporterId),
    };
  }

  /**
   * Resolves an open report: of parallel resolutions exactly one wins; the others, and any later
   * one, answer 409 (404 for an unknown report).
   */
  async resolve(id: string, resolution: ReportResolution): Promise<ReportRecord> {
    const resolved = await this.reports.resolveIfOpen(id, resolution);
    if (resolved) return resolved;
    await this.get(id);
    throw DomainError.conflict('This report is already resolved');
  }

  /** Records what a resolution's action turned out to do (a message already gone, say). */
  async setOutcome(report: ReportRecord, outcome: ReportOutcome): Promise<ReportRecord> {
    if (report.resolution?.outcome === outcome) return report;
    return (await this.reports.setOutcome(report.id, outcome)) ?? report;
  }

  /** Undoes `resolve` when the action it stood for failed: the report is open again. */
  reopen(report: ReportRecord): Promise<void> {
    const resolvedAt = report.resolution?.resolvedAt;
    return resolvedAt ? this.reports.reopen(report.id, resolvedAt) : Promise.resolve();
  }

  /** Resolves every other open report of a message that is gone; their ids. */
  resolveOpenOfMessage(messageId: string, resolution: ReportResolution): Promise<string[]> {
    return this.reports.resolveOpenOfMessage(messageId, resolution);
  }
}
