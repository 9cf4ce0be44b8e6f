import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ErrorResponseDto,
  ParseObjectIdPipe,
  Public,
} from '@app/common';
import { RateLimit } from '@app/rate-limit';
import { UserPrivateDto } from '@app/users';
import { AVATAR_MAX_BYTES, AVATAR_MAX_PIXELS, AVATAR_SIZE } from './avatar-image';
import { AvatarQueryDto } from './avatar-query.dto';
import { AVATAR_FIELD, AvatarUploadInterceptor } from './avatar-upload.interceptor';
import { sendAvatar } from './send-avatar';
import { AVATAR_UPLOAD } from './avatars.rate-limits';
import { AvatarsService } from './avatars.service';

const UPLOAD_RULES =
  `Multipart body with one field, \`${AVATAR_FIELD}\`: a PNG, JPEG or WebP image (judged by its bytes, ` +
  `not its name or Content-Type) of at most ${AVATAR_MAX_BYTES} bytes (larger: 413) and ` +
  `${AVATAR_MAX_PIXELS / 1_000_000} megapixels. It is turned upright, cropped to cover ` +
  `${AVATAR_SIZE}×${AVATAR_SIZE} and stored as WebP without any metadata. Empty, truncated, ` +
  'animated, SVG, GIF and other files, and files with data after the image, answer 400 ' +
  'VALIDATION_FAILED naming file, and the previous avatar stays. Images with 16 bits per channel ' +
  'are refused (400). When too many uploads already wait to be decoded: 503 SERVICE_UNAVAILABLE ' +
  'with Retry-After.';

@ApiTags('avatars')
@Controller()
export class AvatarsController {
  constructor(private readonly avatars: AvatarsService) {}

  @Put('users/me/avatar')
  @ApiBearerAuth()
  @RateLimit(AVATAR_UPLOAD)
  @UseInterceptors(AvatarUploadInterceptor)
  @ApiOperation({ summary: 'Upload your avatar', description: UPLOAD_RULES })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    required: true,
    schema: {
      type: 'object',
      required: [AVATAR_FIELD],
      additionalProperties: false,
      properties: { [AVATAR_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOkResponse({ type: UserPrivateDto, description: 'Your private view with the new avatarUrl' })
  @ApiErrorResponses(400, 401, 413)
  @ApiResponse({
    status: 503,
    description: 'Too many uploads wait to be decoded; see Retry-After',
    type: ErrorResponseDto,
  })
  @ApiResponse({ status: 415, description: 'The body is not multipart/form-data' })
  upload(
    @CurrentUser() user: AuthUser,
    @UploadedFile() file: Express.Multer.File,
  ): Promise<UserPrivateDto> {
    return this.avatars.upload(user.id, file.buffer);
  }

  @Delete('users/me/avatar')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Go back to the generated avatar (your initials on your colour)' })
  @ApiNoContentResponse({ description: 'The generated avatar is shown again' })
  @ApiErrorResponses(401)
  async reset(@CurrentUser() user: AuthUser): Promise<void> {
    await this.avatars.reset(user.id);
  }

  @Get('avatars/:userId')
  @Public()
  @ApiOperation({
    summary: "A user's avatar image (no auth)",
    description:
      `${AVATAR_SIZE}×${AVATAR_SIZE} WebP with a strong ETag (304 on If-None-Match). ` +
      'Cache-Control: a year and immutable when `v` is the current version (as in avatarUrl), ' +
      'else 5 minutes. Banned users show their generated avatar; unknown and deleted users 404.',
  })
  @ApiObjectIdParam('userId')
  @ApiProduces('image/webp')
  @ApiOkResponse({ description: 'The image', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiErrorResponses(400, 404)
  async image(
    @Param('userId', ParseObjectIdPipe) userId: string,
    @Query() query: AvatarQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendAvatar(res, await this.avatars.answer(userId, req.headers['if-none-match']), query.v);
  }
}
