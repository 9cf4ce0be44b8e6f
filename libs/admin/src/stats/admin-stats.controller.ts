import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, Roles } from '@app/common';
import { AdminStatsDto, StatsQueryDto } from './admin-stats.dto';
import { AdminStatsService } from './admin-stats.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/stats')
export class AdminStatsController {
  constructor(private readonly stats: AdminStatsService) {}

  @Get()
  @ApiOperation({
    summary: 'Community statistics: totals and daily series over a range of UTC days',
    description:
      'The range is from..to, both UTC days included, at most 366 days; by default the 30 days ' +
      'ending today. Answers are cached per range for 60 s (shared through Redis when REDIS_URL ' +
      'is set): one may be up to 60 s old, as generatedAt shows. Messages are stored for ' +
      'MESSAGE_RETENTION_HOURS only, so message counts of older days are what is still stored.',
  })
  @ApiOkResponse({ type: AdminStatsDto })
  @ApiErrorResponses(400)
  get(@Query() query: StatsQueryDto): Promise<AdminStatsDto> {
    return this.stats.stats(query);
  }
}
