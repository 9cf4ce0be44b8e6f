export { MessageDto, MessagePageDto, toMessageDto } from './dto/message.dto';
export { PostMessageDto } from './dto/post-message.dto';
export {
  checkMessageInput,
  CLIENT_MESSAGE_ID_PATTERN,
  CONVERSATION_WINDOW_MS,
  type MessageInput,
  MESSAGE_TEXT_MAX,
  normalizeMessageText,
} from './message-rules';
export {
  MESSAGE_CREATED,
  MESSAGE_DELETED,
  type MessageCreated,
  type MessageDeleted,
} from './messages.events';
export { MessagesModule } from './messages.module';
export { type MessageListQuery, MessagesService, type PostedMessage } from './messages.service';
