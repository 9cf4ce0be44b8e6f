import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorResponses, type AuthUser, CurrentUser } from '@app/common';
import { RateLimit } from '@app/rate-limit';
import { ACCOUNT_DELETE, ACCOUNT_EXPORT } from './account.rate-limits';
import { AccountService } from './account.service';
import { AccountExportDto } from './dto/account-export.dto';
import { DeleteAccountDto } from './dto/delete-account.dto';

/**
 * The account as a whole, under /users/me: its routes span every module that holds a part of a
 * member's data, so they live in this module above them, not in users.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get('me/export')
  @RateLimit(ACCOUNT_EXPORT)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Download everything held about you, as one JSON document',
    description:
      'Profile (with the balance), who invited you, your sessions (no tokens), every ledger ' +
      'entry, the invite codes you made with who used them, your capsules with their messages, ' +
      'your messages still stored, the reports you filed, the coupons you redeemed and the ' +
      'sponsors shown to you. Sent as an attachment ' +
      '(dobkonektor-export-<id>.json), never cached; 10 per hour.',
  })
  @ApiOkResponse({ type: AccountExportDto })
  @ApiErrorResponses(401, 429)
  async export(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountExportDto> {
    const document = await this.account.export(user);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="dobkonektor-export-${user.id}.json"`,
    );
    return document;
  }

  @Delete('me')
  @RateLimit(ACCOUNT_DELETE)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete your account, confirmed by your password',
    description:
      'Your sessions end at once (sockets disconnect); your messages (each room gets ' +
      'message:deleted), capsules, avatar, pending reset links, wallet and sessions are deleted, ' +
      'then your account, so the email may sign up again with a new invite. Ledger entries stay ' +
      'for the totals, holding only an opaque id; reports of your messages keep their text and ' +
      'show you as a deleted user; audit entries about you lose their details; your unused ' +
      'invite codes stop working and the people you invited keep their accounts. 400 when the ' +
      'password is wrong, 409 for the last admin; 5 attempts an hour.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 401, 409, 429)
  deleteAccount(@CurrentUser() user: AuthUser, @Body() body: DeleteAccountDto): Promise<void> {
    return this.account.deleteAccount(user, body.password);
  }
}
