import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses, AppConfig, type AuthUser, CurrentUser, Public } from '@app/common';
import { RateLimit } from '@app/rate-limit';
import { SIGNUP_PER_ADDRESS, SIGNUP_PER_EMAIL } from './auth.rate-limits';
import { UserPrivateDto, UsersService } from '@app/users';
import { type Client, AuthService, type Refreshed, type SignedIn } from './auth.service';
import {
  AccessTokenDto,
  AuthResponseDto,
  ChangePasswordDto,
  LoginDto,
  SignupDto,
} from './dto/auth.dto';
import { clearRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie';
import { refreshTokenOf } from './refresh-token.pipe';

function clientOf(req: Request): Client {
  return { address: req.ip ?? 'unknown', userAgent: req.get('user-agent')?.slice(0, 256) ?? null };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  private withCookie<T extends SignedIn | Refreshed>(
    res: Response,
    result: T,
  ): Omit<T, 'refreshToken'> {
    const { refreshToken, ...body } = result;
    setRefreshCookie(res, this.config, refreshToken);
    return body;
  }

  @Public()
  @Post('signup')
  @RateLimit(SIGNUP_PER_ADDRESS, SIGNUP_PER_EMAIL)
  @ApiOperation({
    summary: 'Create an account with an invite code; sets the refresh_token cookie',
    description: `Consumes the invite atomically, grants the signup tokens, and answers like login. Rate limited per address and per email.`,
  })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrorResponses(400, 409)
  async signup(
    @Body() dto: SignupDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.withCookie(res, await this.auth.signup(dto, clientOf(req)));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in; sets the refresh_token cookie',
    description:
      'Wrong email and wrong password answer the same 401. Repeated failures for one account or one address answer 429.',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrorResponses(400, 401, 403, 429)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.withCookie(res, await this.auth.login(dto, clientOf(req)));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({
    summary: 'Rotate the refresh_token cookie and get a new access token',
    description:
      'Re-using a refresh token that was already rotated revokes its whole session (token theft).',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiErrorResponses(401, 403)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.withCookie(res, await this.auth.refresh(refreshTokenOf(req)));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session: its access and refresh tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401)
  async logout(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(user);
    clearRefreshCookie(res, this.config);
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End every session of your account' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401)
  async logoutAll(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logoutAll(user);
    clearRefreshCookie(res, this.config);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change your password; your other sessions end' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 401, 429)
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<void> {
    await this.auth.changePassword(user, dto, clientOf(req));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Your private view: email, birth date, role and token balance included',
  })
  @ApiOkResponse({ type: UserPrivateDto })
  @ApiErrorResponses(401)
  me(@CurrentUser() user: AuthUser): Promise<UserPrivateDto> {
    return this.users.privateView(user.id);
  }
}
