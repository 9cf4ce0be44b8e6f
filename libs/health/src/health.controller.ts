import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ApiErrorResponses, Public } from '@app/common';
import { HealthResponseDto } from './health-response.dto';
import { HealthService } from './health.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({ type: HealthResponseDto })
  live(): Promise<HealthCheckResult> {
    return this.health.live();
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database (and Redis when REDIS_URL is set) answer' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiErrorResponses(503)
  ready(): Promise<HealthCheckResult> {
    return this.health.ready();
  }
}
