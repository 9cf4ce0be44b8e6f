import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
  Roles,
} from '@app/common';
import { ReportDto, ReportPageDto } from '@app/reports';
import { ReportListQueryDto, ResolveReportDto } from './admin-reports.dto';
import { AdminReportsService } from './admin-reports.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/reports')
export class AdminReportsController {
  constructor(private readonly reports: AdminReportsService) {}

  @Get()
  @ApiOperation({
    summary: 'The reports queue, newest first, with the evidence kept from each message',
  })
  @ApiOkResponse({ type: ReportPageDto })
  @ApiErrorResponses(400)
  list(@Query() query: ReportListQueryDto): Promise<ReportPageDto> {
    return this.reports.list(query);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Resolve an open report (audited as report.resolve)',
    description:
      'A report resolves once: a second resolution, even a parallel one, answers 409. ' +
      'delete-message is also audited as message.delete.',
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: ReportDto })
  @ApiErrorResponses(400, 404, 409)
  resolve(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: ResolveReportDto,
  ): Promise<ReportDto> {
    return this.reports.resolve(admin, id, body);
  }
}
