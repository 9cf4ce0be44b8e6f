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
  ApiCreatedResponse,
  ApiNoContentResponse,
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
} from '@app/common';
import { ApiRoomKeyParam } from '@app/rooms';
import { ListMessagesQueryDto } from './dto/list-messages-query.dto';
import { MessageDto, MessagePageDto } from './dto/message.dto';
import { PostMessageDto } from './dto/post-message.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('rooms/:key/messages')
  @ApiOperation({
    summary: 'Post a message in one of your rooms',
    description:
      'Costs MESSAGE_COST tokens (402 when your balance is lower), rate limited per user ' +
      '(MESSAGE_RATE_PER_MINUTE, socket posts included). A clientMessageId you used before ' +
      'answers the first message again, charged nothing. A post that cannot be stored after ' +
      'the charge is refunded (a "refund" ledger entry).',
  })
  @ApiRoomKeyParam()
  @ApiCreatedResponse({ type: MessageDto })
  @ApiErrorResponses(400, 401, 402, 403, 404, 429)
  async post(
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Body() body: PostMessageDto,
  ): Promise<MessageDto> {
    return (await this.messages.post(user.id, key, body)).message;
  }

  @Get('rooms/:key/messages')
  @ApiOperation({
    summary: "A room's messages of the last 24 hours (members; admins may read any room)",
    description:
      'Newest first, older than ?before when given; with ?after instead, the messages after ' +
      'that one, oldest first (pass the nextCursor back as the same parameter). before and ' +
      'after together answer 400 BAD_REQUEST.',
  })
  @ApiRoomKeyParam()
  @ApiOkResponse({ type: MessagePageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  list(
    @CurrentUser() user: AuthUser,
    @Param('key') key: string,
    @Query() query: ListMessagesQueryDto,
  ): Promise<MessagePageDto> {
    return this.messages.list(user, key, query);
  }

  @Delete('messages/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a message (its author, or an admin); no refund',
    description: "The room's sockets get message:deleted.",
  })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 401, 403, 404)
  delete(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.messages.delete(user, id);
  }
}
