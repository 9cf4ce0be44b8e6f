import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiExcludeController } from '@nestjs/swagger';
import { ParseObjectIdPipe, Public } from '@app/common';
import { CreateProbeDto, SlowQueryDto } from './create-probe.dto';
import { type ProbeView, ProbesService, type RequestView } from './probes.service';

@ApiExcludeController()
@Public()
@Controller('test-probes')
export class ProbesController {
  constructor(private readonly probes: ProbesService) {}

  @Post()
  create(@Body() input: CreateProbeDto): Promise<ProbeView> {
    return this.probes.create(input);
  }

  @Get('failure')
  fail(): never {
    return this.probes.fail();
  }

  @Get('slow')
  slow(@Query() query: SlowQueryDto): Promise<{ waitedMs: number }> {
    return this.probes.slow(query.ms);
  }

  @Get('in-flight')
  inFlight(): { count: number } {
    return this.probes.inFlightCount();
  }

  @Get('request')
  describeRequest(@Req() req: Request): RequestView {
    return this.probes.describeRequest(req);
  }

  @Post('log')
  @HttpCode(204)
  log(@Body() body: unknown): void {
    this.probes.logBody(body);
  }

  @Get(':id')
  find(@Param('id', ParseObjectIdPipe) id: string): Promise<ProbeView> {
    return this.probes.find(id);
  }
}
