import type { MessageDto } from './dto/message.dto';

/** Emitted after a message is stored, however it was posted (the gateway broadcasts it). */
export const MESSAGE_CREATED = 'message.created';

export interface MessageCreated {
  message: MessageDto;
}

/** Emitted after a message is deleted (the gateway tells its room). */
export const MESSAGE_DELETED = 'message.deleted';

export interface MessageDeleted {
  id: string;
  roomKey: string;
}
