import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
  AdminTokensResultDto,
  AdminUserDetailDto,
  AdminUserDto,
  AdminUserPageDto,
  AdminUserQueryDto,
  GrantAdminTokensDto,
  UpdateAdminUserDto,
} from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @ApiOperation({
    summary: 'Users whose email or display name starts with the query, newest first',
    description: 'Case-insensitive prefix search on indexed keys; the query is never a pattern.',
  })
  @ApiOkResponse({ type: AdminUserPageDto })
  @ApiErrorResponses(400)
  list(@Query() query: AdminUserQueryDto): Promise<AdminUserPageDto> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({
    summary: "A user's detail: balance, latest ledger entries, invites, inviter and invitees",
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: AdminUserDetailDto })
  @ApiErrorResponses(400, 404)
  detail(@Param('id', ParseObjectIdPipe) id: string): Promise<AdminUserDetailDto> {
    return this.users.detail(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a role, ban or unban, correct a birth date (audited as user.update)',
    description:
      'A ban ends every session and disconnects every socket of the user at once. A birth-date ' +
      "correction moves the user's three rooms; their sockets leave the old ones. Banning or " +
      'demoting yourself answers 403; demoting or banning the last admin who is not banned, 409.',
  })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrorResponses(400, 404, 409)
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateAdminUserDto,
  ): Promise<AdminUserDto> {
    return this.users.update(admin, id, body);
  }

  @Post(':id/tokens')
  @ApiOperation({
    summary: 'Add or remove tokens (ledger reason admin; audited as user.tokens)',
    description: 'A removal larger than the balance answers 402 INSUFFICIENT_TOKENS.',
  })
  @ApiObjectIdParam('id')
  @ApiCreatedResponse({ type: AdminTokensResultDto })
  @ApiErrorResponses(400, 402, 404)
  grantTokens(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: GrantAdminTokensDto,
  ): Promise<AdminTokensResultDto> {
    return this.users.grantTokens(admin, id, body);
  }
}
