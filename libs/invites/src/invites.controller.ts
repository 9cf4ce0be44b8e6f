import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrorResponses,
  type AuthUser,
  CurrentUser,
  DEFAULT_PAGE_SIZE,
  PageQueryDto,
  Public,
} from '@app/common';
import { RateLimit } from '@app/rate-limit';
import { INVITE_CHECK } from './invites.rate-limits';
import {
  CreatedInviteDto,
  InviteCheckDto,
  InvitePageDto,
  toCreatedInvite,
  toInvitePage,
} from './dto/invite-views.dto';
import { INVITE_CODE_INPUT_PATTERN, LONGEST_INVITE_CODE_INPUT } from './invite-code';
import { InvitesService } from './invites.service';
import { NoBodyPipe } from './no-body.pipe';
import { ParseInviteCodePipe } from './parse-invite-code.pipe';

const CODE_PARAM = {
  name: 'code',
  description: '12 letters and digits; case-insensitive, dashes and spaces are ignored',
  schema: {
    type: 'string' as const,
    pattern: INVITE_CODE_INPUT_PATTERN,
    maxLength: LONGEST_INVITE_CODE_INPUT,
    example: 'K7QM-3XPA-9RTD',
  },
};

@ApiTags('invites')
@Controller('invites')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Create a single-use invite code, valid INVITE_TTL_DAYS',
    description:
      'You hold at most INVITES_ACTIVE_MAX unused, unexpired, unrevoked codes; one more answers 409.',
  })
  @ApiBody({
    required: false,
    description: 'No fields: send no body, or {}',
    schema: { type: 'object', maxProperties: 0 },
  })
  @ApiCreatedResponse({ type: CreatedInviteDto })
  @ApiErrorResponses(400, 401, 409)
  async create(
    @CurrentUser() user: AuthUser,
    @Body(NoBodyPipe) _body: undefined,
  ): Promise<CreatedInviteDto> {
    return toCreatedInvite(await this.invites.create(user.id));
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Your invite codes, newest first, with status and who used them (public views)',
  })
  @ApiOkResponse({ type: InvitePageDto })
  @ApiErrorResponses(400, 401)
  async list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<InvitePageDto> {
    return toInvitePage(
      await this.invites.list(user.id, query.cursor, query.limit ?? DEFAULT_PAGE_SIZE),
    );
  }

  @Delete(':code')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Revoke one of your codes that is not used yet (revoking twice is fine)',
  })
  @ApiParam(CODE_PARAM)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrorResponses(400, 401, 404, 409)
  revoke(
    @CurrentUser() user: AuthUser,
    @Param('code', ParseInviteCodePipe) code: string,
  ): Promise<void> {
    return this.invites.revoke(user.id, code);
  }

  @Get(':code/check')
  @Public()
  @RateLimit(INVITE_CHECK)
  @ApiOperation({
    summary: 'Whether a signup could use this code now (no sign-in; rate limited per address)',
  })
  @ApiParam(CODE_PARAM)
  @ApiOkResponse({ type: InviteCheckDto })
  @ApiErrorResponses(400)
  async check(@Param('code', ParseInviteCodePipe) code: string): Promise<InviteCheckDto> {
    return { valid: await this.invites.isUsable(code) };
  }
}
