import { Injectable } from '@nestjs/common';
import { type AuthUser, Clock, DEFAULT_PAGE_SIZE, DomainError, mapPage } from '@app/common';
import { type MessageDto, MessagesService } from '@app/messages';
import {
  checkResolutionNote,
  type ReportAction,
  type ReportDto,
  type ReportOutcome,
  type ReportPageDto,
  type ReportRecord,
  ReportsService,
  toReportDto,
} from '@app/reports';
import { type UserRecord, UsersService } from '@app/users';
import { AuditService } from '../audit/audit.service';
import type { ReportListQueryDto, ResolveReportDto } from './admin-reports.dto';

const EXPECTED_OUTCOME: Record<ReportAction, ReportOutcome> = {
  dismiss: 'dismissed',
  'delete-message': 'message-deleted',
  'ban-author': 'author-banned',
};

function messageEvidence(message: MessageDto): Record<string, unknown> {
  return {
    text: message.text,
    authorId: message.author.id,
    roomKey: message.roomKey,
    createdAt: message.createdAt,
  };
}

/**
 * Moderation for admins: the reports queue, resolutions (dismiss, delete the message, ban its
 * author) and deleting any message. Each change goes through the owning service, then the audit
 * log with its before and after.
 */
@Injectable()
export class AdminReportsService {
  constructor(
    private readonly reports: ReportsService,
    private readonly messages: MessagesService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: ReportListQueryDto): Promise<ReportPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return mapPage(await this.reports.list(query.status, query.cursor, limit), toReportDto);
  }

  /**
   * Checks first what would refuse the action (an admin author), then claims the report with one
   * conditional update (parallel resolutions: one wins, the others answer 409), then acts; an
   * action that fails opens the report again.
   */
  async resolve(actor: AuthUser, id: string, input: ResolveReportDto): Promise<ReportDto> {
    const note = checkResolutionNote(input.note);
    const open = await this.reports.get(id);
    if (open.status !== 'open') throw DomainError.conflict('This report is already resolved');
    const author = input.action === 'ban-author' ? await this.bannableAuthor(actor, open) : null;
    const resolution = {
      action: input.action,
      outcome: EXPECTED_OUTCOME[input.action],
      note,
      resolvedBy: actor.id,
      resolvedAt: this.clock.now(),
    };
    const claimed = await this.reports.resolve(id, resolution);
    let outcome: ReportOutcome;
    try {
      outcome = await this.act(actor, claimed, author);
    } catch (error) {
      await this.reports.reopen(claimed);
      throw error;
    }
    const resolved = await this.reports.setOutcome(claimed, outcome);
    const alsoResolved =
      input.action === 'delete-message'
        ? await this.reports.resolveOpenOfMessage(claimed.messageId, {
            ...resolution,
            outcome,
            note: `Resolved with report ${id}`,
          })
        : [];
    await this.audit.record({
      actorId: actor.id,
      action: 'report.resolve',
      target: { type: 'report', id },
      details: {
        messageId: claimed.messageId,
        before: { status: 'open', ...(author && { authorBanned: author.banned }) },
        after: {
          status: 'resolved',
          action: input.action,
          outcome,
          note,
          ...(author && { authorBanned: true }),
          ...(alsoResolved.length > 0 && { alsoResolved }),
        },
      },
    });
    return toReportDto(await this.reports.withReporter(resolved));
  }

  /** Deletes any message (404 when it is gone) and resolves its open reports. */
  async deleteMessage(actor: AuthUser, id: string): Promise<void> {
    const message = await this.messages.get(id);
    await this.messages.delete(actor, id);
    const resolvedReports = await this.reports.resolveOpenOfMessage(id, {
      action: 'delete-message',
      outcome: 'message-deleted',
      note: null,
      resolvedBy: actor.id,
      resolvedAt: this.clock.now(),
    });
    await this.auditMessageDelete(actor, message, resolvedReports);
  }

  private async act(
    actor: AuthUser,
    report: ReportRecord,
    author: UserRecord | null,
  ): Promise<ReportOutcome> {
    const action = report.resolution?.action ?? 'dismiss';
    if (action === 'delete-message') {
      const message = await this.deleteIfStored(actor, report.messageId);
      if (!message) return 'message-already-gone';
      await this.auditMessageDelete(actor, message, [report.id]);
      return 'message-deleted';
    }
    if (action === 'ban-author' && author) {
      if (author.banned) return 'author-already-banned';
      await this.users.updateByAdmin(author.id, { banned: true });
      return 'author-banned';
    }
    return 'dismissed';
  }

  /** The reported author, unless an admin (yourself included): demote them first (409). */
  private async bannableAuthor(actor: AuthUser, report: ReportRecord): Promise<UserRecord> {
    const author = await this.users.getById(report.evidence.authorId);
    if (author.id === actor.id) throw DomainError.conflict('You cannot ban yourself');
    if (author.role === 'admin') {
      throw DomainError.conflict('The author is an admin: demote them first, then ban them');
    }
    return author;
  }

  /** The message as it was before this call deleted it, or null when it was already gone. */
  private async deleteIfStored(actor: AuthUser, id: string): Promise<MessageDto | null> {
    try {
      const message = await this.messages.get(id);
      await this.messages.delete(actor, id);
      return message;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  private async auditMessageDelete(
    actor: AuthUser,
    message: MessageDto,
    resolvedReports: string[],
  ): Promise<void> {
    await this.audit.record({
      actorId: actor.id,
      action: 'message.delete',
      target: { type: 'message', id: message.id },
      details: {
        before: messageEvidence(message),
        after: { deleted: true, resolvedReports },
      },
    });
  }
}
