import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
  Roles,
} from '@app/common';
import {
  CreateSponsorDto,
  SponsorDto,
  SponsorListQueryDto,
  SponsorPageDto,
  SponsorStatsDto,
  UpdateSponsorDto,
} from './admin-sponsors.dto';
import { AdminSponsorsService } from './admin-sponsors.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/sponsors')
export class AdminSponsorsController {
  constructor(private readonly sponsors: AdminSponsorsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a sponsor (audited as sponsor.create)',
    description: 'endsAt not after startsAt answers 400 naming endsAt.',
  })
  @ApiCreatedResponse({ type: SponsorDto })
  @ApiErrorResponses(400)
  create(@CurrentUser() admin: AuthUser, @Body() body: CreateSponsorDto): Promise<SponsorDto> {
    return this.sponsors.create(admin, body);
  }

  @Get()
  @ApiOperation({ summary: 'Sponsors, newest first, with their status' })
  @ApiOkResponse({ type: SponsorPageDto })
  @ApiErrorResponses(400)
  list(@Query() query: SponsorListQueryDto): Promise<SponsorPageDto> {
    return this.sponsors.list(query);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a sponsor (audited as sponsor.update)',
    description:
      'The window must stay startsAt < endsAt (400); a deleted sponsor is 404. A change of the ' +
      'window while another change of it lands answers 409: read the sponsor and try again.',
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: SponsorDto })
  @ApiErrorResponses(400, 404, 409)
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateSponsorDto,
  ): Promise<SponsorDto> {
    return this.sponsors.update(admin, id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a sponsor (audited as sponsor.delete)',
    description: 'Soft delete: it is never shown again; its impressions and clicks stay.',
  })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 404)
  delete(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<void> {
    return this.sponsors.delete(admin, id);
  }

  @Get(':id/stats')
  @ApiOperation({
    summary: "A sponsor's impressions, unique users, clicks and CTR, in all, per room and per day",
    description: 'Deleted sponsors keep their statistics.',
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: SponsorStatsDto })
  @ApiErrorResponses(400, 404)
  stats(@Param('id', ParseObjectIdPipe) id: string): Promise<SponsorStatsDto> {
    return this.sponsors.stats(id);
  }
}
