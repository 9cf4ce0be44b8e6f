import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, type AuthUser, CurrentUser, Roles } from '@app/common';
import { CreateMultiUseInviteDto, MultiUseInviteDto } from './admin-invites.dto';
import { AdminInvitesService } from './admin-invites.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/invites')
export class AdminInvitesController {
  constructor(private readonly invites: AdminInvitesService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a multi-use invite code (audited as invite.create)',
    description:
      'The code signs up to maxUses accounts until expiresAt; the audit entry never holds it.',
  })
  @ApiCreatedResponse({ type: MultiUseInviteDto })
  @ApiErrorResponses(400)
  create(
    @CurrentUser() admin: AuthUser,
    @Body() body: CreateMultiUseInviteDto,
  ): Promise<MultiUseInviteDto> {
    return this.invites.createMultiUse(admin, body);
  }
}
