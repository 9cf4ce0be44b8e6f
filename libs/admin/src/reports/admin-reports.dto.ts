import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { IsOmittable, PageQueryDto } from '@app/common';
import {
  REPORT_ACTIONS,
  REPORT_STATUSES,
  RESOLUTION_NOTE_MAX,
  type ReportAction,
  type ReportStatus,
} from '@app/reports';

export class ReportListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REPORT_STATUSES, description: 'Only reports of this status' })
  @IsOmittable()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

export class ResolveReportDto {
  @ApiProperty({
    enum: REPORT_ACTIONS,
    example: 'delete-message',
    description:
      'dismiss: nothing else happens. delete-message: the message is deleted (its room gets ' +
      'message:deleted) and every other open report of it is resolved too; a message already ' +
      'gone still resolves, with outcome message-already-gone. ban-author: the author is banned ' +
      '(sessions end, sockets disconnect); an admin author, yourself included, answers 409.',
  })
  @IsIn(REPORT_ACTIONS)
  action!: ReportAction;

  @ApiPropertyOptional({
    description: `Plain text for the other admins, ${RESOLUTION_NOTE_MAX} characters at most`,
    example: 'Second warning',
    minLength: 1,
    maxLength: RESOLUTION_NOTE_MAX,
  })
  // The length rule applies to the normalized text, so it is checked by the service.
  @IsOmittable()
  @IsString()
  note?: string;
}
