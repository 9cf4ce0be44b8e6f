import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { REPORT_REASON_MAX } from '../report-rules';

export class CreateReportDto {
  @ApiProperty({
    description:
      `Why the message should be looked at: plain text, ${REPORT_REASON_MAX} characters at most ` +
      'after control characters (but tab and line feed) are removed and surrounding spaces ' +
      'trimmed; nothing may be left empty (400)',
    example: 'Insults another member',
    minLength: 1,
    maxLength: REPORT_REASON_MAX,
  })
  // The length rule applies to the normalized text, so it is checked by the service.
  @IsString()
  reason!: string;
}
