import { ApiProperty } from '@nestjs/swagger';
import { ApiObjectIdProperty, PageDtoOf } from '@app/common';
import { ROOM_KEY_PATTERN, UserPublicDto } from '@app/users';
import {
  REPORT_ACTIONS,
  REPORT_OUTCOMES,
  REPORT_STATUSES,
  type ReportAction,
  type ReportOutcome,
  type ReportRecord,
  type ReportResolution,
  type ReportStatus,
} from '../report.record';
import type { ReportView } from '../reports.service';

const DATE_TIME = { format: 'date-time', example: '2026-11-21T10:00:00.000Z' } as const;

/** What the reporter gets back: their report, without the admin side. */
export class ReportReceiptDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiObjectIdProperty({ description: 'The reported message' })
  messageId!: string;

  @ApiProperty({ example: 'Insults another member' })
  reason!: string;

  @ApiProperty({ enum: REPORT_STATUSES, example: 'open' })
  status!: ReportStatus;

  @ApiProperty(DATE_TIME)
  createdAt!: string;
}

export class ReportEvidenceDto {
  @ApiProperty({ example: 'You are all idiots', description: 'The message text when reported' })
  text!: string;

  @ApiProperty({ type: UserPublicDto, description: "The author's public view when reported" })
  author!: UserPublicDto;

  @ApiProperty({ pattern: ROOM_KEY_PATTERN, example: 'day-1990-05-17' })
  roomKey!: string;

  @ApiProperty({ ...DATE_TIME, description: 'When the message was posted' })
  messageCreatedAt!: string;
}

export class ReportResolutionDto {
  @ApiProperty({ enum: REPORT_ACTIONS, example: 'delete-message' })
  action!: ReportAction;

  @ApiProperty({
    enum: REPORT_OUTCOMES,
    example: 'message-deleted',
    description: 'What the action did: a message may have been gone or an author banned already',
  })
  outcome!: ReportOutcome;

  @ApiProperty({ type: String, nullable: true, example: 'Second warning' })
  note!: string | null;

  @ApiObjectIdProperty({ description: 'The admin who resolved it' })
  resolvedBy!: string;

  @ApiProperty(DATE_TIME)
  resolvedAt!: string;
}

export class ReportDto extends ReportReceiptDto {
  @ApiProperty({ type: UserPublicDto })
  reporter!: UserPublicDto;

  @ApiProperty({ type: ReportEvidenceDto, description: 'A copy of the message: it outlives it' })
  evidence!: ReportEvidenceDto;

  @ApiProperty({ type: ReportResolutionDto, nullable: true, example: null })
  resolution!: ReportResolutionDto | null;
}

export class ReportPageDto extends PageDtoOf(ReportDto) {}

export function toReportReceipt(report: ReportRecord): ReportReceiptDto {
  return {
    id: report.id,
    messageId: report.messageId,
    reason: report.reason,
    status: report.status,
    createdAt: report.createdAt.toISOString(),
  };
}

function toResolutionDto(resolution: ReportResolution): ReportResolutionDto {
  return { ...resolution, resolvedAt: resolution.resolvedAt.toISOString() };
}

export function toReportDto(report: ReportView): ReportDto {
  const { evidence } = report;
  return {
    id: report.id,
    messageId: report.messageId,
    reason: report.reason,
    status: report.status,
    createdAt: report.createdAt.toISOString(),
    reporter: report.reporter,
    evidence: {
      text: evidence.text,
      author: evidence.author,
      roomKey: evidence.roomKey,
      messageCreatedAt: evidence.messageCreatedAt.toISOString(),
    },
    resolution: report.resolution ? toResolutionDto(report.resolution) : null,
  };
}
