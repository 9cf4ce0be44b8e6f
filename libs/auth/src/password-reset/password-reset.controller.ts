import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, Public } from '@app/common';
import { RateLimit } from '@app/rate-limit';
import {
  FORGOT_PASSWORD_PER_ADDRESS,
  FORGOT_PASSWORD_PER_EMAIL,
  FORGOT_PASSWORD_PER_EMAIL_TOTAL,
} from '../auth.rate-limits';
import { ForgotPasswordDto, ResetPasswordDto } from '../dto/password-reset.dto';
import { PasswordResetsService } from './password-resets.service';

@ApiTags('auth')
@Controller('auth/password')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetsService) {}

  @Public()
  @Post('forgot')
  @HttpCode(202)
  @RateLimit(
    FORGOT_PASSWORD_PER_ADDRESS,
    FORGOT_PASSWORD_PER_EMAIL,
    FORGOT_PASSWORD_PER_EMAIL_TOTAL,
  )
  @ApiOperation({
    summary: 'Ask for a password reset link by mail',
    description:
      'Answers 202 with no body, alike and at once, whether an account uses the email or not; an ' +
      'account that is not banned then gets a mail with a single-use link to PASSWORD_RESET_URL, ' +
      'valid PASSWORD_RESET_TTL_MINUTES (30 by default). An account keeps up to three pending ' +
      'links (a fourth request drops the oldest); a reset or a password change ends them all. ' +
      'Rate limited per address, per email and address, and per email over all addresses (any ' +
      'email, known or not). 503 when the server ' +
      'cannot send mail (production without SMTP_URL).',
  })
  @ApiAcceptedResponse({ description: 'Accepted; a mail follows if an account uses the email' })
  @ApiErrorResponses(400, 503)
  forgot(@Body() dto: ForgotPasswordDto): void {
    this.resets.request(dto.email);
  }

  @Public()
  @Post('reset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of a reset link; every session ends',
    description:
      'The token works once: of parallel uses exactly one succeeds. Unknown, expired or used: 400 ' +
      'RESET_TOKEN_INVALID. Every other pending link of the account stops working. Every session of the account ends and its sockets disconnect; sign in ' +
      'with the new password (a banned account still answers 403 ACCOUNT_BANNED there).',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(400)
  async reset(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.resets.reset(dto.token, dto.newPassword);
  }
}
