import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, DEFAULT_PAGE_SIZE, mapPage, Roles } from '@app/common';
import { AuditPageDto, AuditQueryDto, toAuditEntryResponse } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit log of admin changes, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrorResponses(400)
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list(
      query.cursor,
      query.limit ?? DEFAULT_PAGE_SIZE,
      query.action,
    );
    return mapPage(page, toAuditEntryResponse);
  }
}
