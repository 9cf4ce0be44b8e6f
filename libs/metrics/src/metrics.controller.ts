import { ApiErrorResponses, Public } from '@app/common';
import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Public()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metricsService: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({
    summary: 'Prometheus metrics: HTTP durations by route and status, process metrics',
    description:
      'When METRICS_TOKEN is set (always in production), send `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiBearerAuth()
  @ApiErrorResponses(401)
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  render(): Promise<string> {
    return this.metricsService.render();
  }
}
