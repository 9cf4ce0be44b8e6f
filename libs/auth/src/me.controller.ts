import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, type AuthUser, CurrentUser } from '@app/common';
import { UpdateProfileDto, UserPrivateDto, UsersService } from '@app/users';
import { AuthService } from './auth.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Patch()
  @ApiOperation({ summary: 'Change your displayName and bio (the birth date cannot be changed)' })
  @ApiOkResponse({ type: UserPrivateDto })
  @ApiErrorResponses(400, 401)
  async update(
    @CurrentUser() user: AuthUser,
    @Body() dto: UpdateProfileDto,
  ): Promise<UserPrivateDto> {
    await this.users.updateProfile(user.id, dto);
    return this.auth.me(user.id);
  }
}
