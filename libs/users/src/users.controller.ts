import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
} from '@app/common';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { toUserPublic, UserPrivateDto, UserPublicDto } from './dto/user-views.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Patch('me')
  @ApiOperation({ summary: 'Change your displayName and bio (the birth date cannot be changed)' })
  @ApiOkResponse({ type: UserPrivateDto })
  @ApiErrorResponses(400, 401)
  async updateMe(
    @CurrentUser() user: AuthUser,
    @Body() dto: UpdateProfileDto,
  ): Promise<UserPrivateDto> {
    await this.users.updateProfile(user.id, dto);
    return this.users.privateView(user.id);
  }

  @Get(':id')
  @ApiOperation({ summary: "A user's public view: id, displayName, avatarUrl, bio" })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: UserPublicDto })
  @ApiErrorResponses(400, 401, 404)
  async publicView(@Param('id', ParseObjectIdPipe) id: string): Promise<UserPublicDto> {
    return toUserPublic(await this.users.getById(id));
  }
}
