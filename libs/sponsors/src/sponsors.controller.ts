import { Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
} from '@app/common';
import { ApiRoomKeyParam } from '@app/rooms';
import { SponsorViewDto } from './dto/sponsor-view.dto';
import { SponsorsService } from './sponsors.service';

function viewer(user: AuthUser): { userId: string; sessionId: string } {
  return { userId: user.id, sessionId: user.sessionId };
}

@ApiTags('sponsors')
@ApiBearerAuth()
@Controller()
export class SponsorsController {
  constructor(private readonly sponsors: SponsorsService) {}

  @Get('rooms/:key/sponsor')
  @ApiOperation({
    summary: "The room's sponsor, once per session and room (the room:join ack carries the same)",
    description:
      'Members only. 200 with a sponsor picked by weight among the eligible ones (active, ' +
      'startsAt <= now < endsAt, targeting the room), recorded as an impression; 204 when none ' +
      'is eligible or when this session was already shown one in this room.',
  })
  @ApiRoomKeyParam()
  @ApiOkResponse({ type: SponsorViewDto })
  @ApiNoContentResponse({ description: 'Nothing to show' })
  @ApiErrorResponses(401, 403, 404)
  async sponsorOf(
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SponsorViewDto | undefined> {
    const sponsor = await this.sponsors.offer(viewer(user), key);
    if (sponsor === null) res.status(HttpStatus.NO_CONTENT);
    return sponsor ?? undefined;
  }

  @Post('sponsors/:id/click')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Count a click on a sponsor shown in this session',
    description:
      'Once per impression; a sponsor this session was not shown (or whose ' +
      'impressions are all clicked already) answers 404.',
  })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Counted' })
  @ApiErrorResponses(400, 401, 404)
  click(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.sponsors.click(viewer(user), id);
  }
}
