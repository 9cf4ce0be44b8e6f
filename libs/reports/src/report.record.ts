import type { UserPublicDto } from '@app/users';

export const REPORT_STATUSES = ['open', 'resolved'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_ACTIONS = ['dismiss', 'delete-message', 'ban-author'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

/** What a resolution did: a deleted or banned target may have been gone or banned already. */
export const REPORT_OUTCOMES = [
  'dismissed',
  'message-deleted',
  'message-already-gone',
  'author-banned',
  'author-already-banned',
] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

/** A copy of the reported message, taken when it was reported: it outlives the message. */
export interface ReportEvidence {
  text: string;
  authorId: string;
  /** The author's public view at the time of the report. */
  author: UserPublicDto;
  roomKey: string;
  messageCreatedAt: Date;
}

export interface ReportResolution {
  action: ReportAction;
  outcome: ReportOutcome;
  note: string | null;
  resolvedBy: string;
  resolvedAt: Date;
}

export interface ReportRecord {
  id: string;
  messageId: string;
  reporterId: string;
  reason: string;
  evidence: ReportEvidence;
  status: ReportStatus;
  resolution: ReportResolution | null;
  createdAt: Date;
}

export type NewReport = Omit<ReportRecord, 'id' | 'status' | 'resolution'>;
