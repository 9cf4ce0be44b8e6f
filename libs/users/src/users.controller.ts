import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ApiObjectIdParam, ParseObjectIdPipe } from '@app/common';
import { toUserPublic, UserPublicDto } from './dto/user-views.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':id')
  @ApiOperation({ summary: "A user's public view: id, displayName, avatarUrl, bio" })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: UserPublicDto })
  @ApiErrorResponses(400, 401, 404)
  async publicView(@Param('id', ParseObjectIdPipe) id: string): Promise<UserPublicDto> {
    return toUserPublic(await this.users.getById(id));
  }
}
