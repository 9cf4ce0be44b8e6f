import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  type AuthUser,
  CurrentUser,
  DEFAULT_PAGE_SIZE,
  PageQueryDto,
} from '@app/common';
import { RoomDto, RoomMemberPageDto } from './dto/room.dto';
import { RoomsService } from './rooms.service';

/**
 * The `:key` of a room route. Its grammar is described, not declared as a schema pattern: a
 * malformed key is a room that does not exist (404), not a validation failure (400).
 */
export const ApiRoomKeyParam = (): MethodDecorator =>
  ApiParam({
    name: 'key',
    schema: { type: 'string', example: 'day-1990-05-17' },
    description: 'day-YYYY-MM-DD, date-MM-DD or year-YYYY; a malformed key is 404',
  });

@ApiTags('rooms')
@ApiBearerAuth()
@Controller('rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get()
  @ApiOperation({ summary: 'Your three rooms: born that day, on that date any year, that year' })
  @ApiOkResponse({ type: [RoomDto] })
  @ApiErrorResponses(401)
  list(@CurrentUser() user: AuthUser): Promise<RoomDto[]> {
    return this.rooms.myRooms(user.id);
  }

  @Get(':key')
  @ApiOperation({ summary: 'One room (members; admins may read any room)' })
  @ApiRoomKeyParam()
  @ApiOkResponse({ type: RoomDto })
  @ApiErrorResponses(401, 403, 404)
  one(@CurrentUser() user: AuthUser, @Param('key') key: string): Promise<RoomDto> {
    return this.rooms.room(user, key);
  }

  @Get(':key/members')
  @ApiOperation({ summary: "A room's members with whether each is online, newest account first" })
  @ApiRoomKeyParam()
  @ApiOkResponse({ type: RoomMemberPageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  members(
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Query() query: PageQueryDto,
  ): Promise<RoomMemberPageDto> {
    return this.rooms.members(user, key, query.cursor, query.limit ?? DEFAULT_PAGE_SIZE);
  }
}
