import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
} from '@app/common';
import { CreateReportDto } from './dto/create-report.dto';
import { ReportReceiptDto, toReportReceipt } from './dto/report.dto';
import { ReportsService } from './reports.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post(':id/report')
  @ApiOperation({
    summary: 'Report a message to the admins (members of its room, once per message)',
    description:
      'The report keeps a copy of the text, author and room, so it outlives the message. ' +
      'Only members of the room may report (admins included: 403 otherwise), never their own ' +
      'message (403); a second report of the same message answers 409.',
  })
  @ApiObjectIdParam('id')
  @ApiCreatedResponse({ type: ReportReceiptDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async report(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: CreateReportDto,
  ): Promise<ReportReceiptDto> {
    return toReportReceipt(await this.reports.report(user.id, id, body.reason));
  }
}
