import { ApiProperty } from '@nestjs/swagger';
import { ApiObjectIdProperty, PageDtoOf } from '@app/common';
import { ROOM_KEY_PATTERN, UserPublicDto } from '@app/users';
import type { MessageRecord } from '../messages.repository';

export class MessageDto {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ pattern: ROOM_KEY_PATTERN, example: 'day-1990-05-17' })
  roomKey!: string;

  @ApiProperty({ type: UserPublicDto })
  author!: UserPublicDto;

  @ApiProperty({
    example: 'Happy to meet you all!',
    description: 'Plain text (render as text, never as HTML): 1–1000 characters',
  })
  text!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'c1f7a2e4-0b1d-4a3e-9c55-2f8e1d7b6a90',
    description: "The author's idempotency key, when the post carried one",
  })
  clientMessageId!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-22T10:00:00.000Z',
    description: 'createdAt + 24 h: when the message leaves the conversation (for countdowns)',
  })
  expiresAt!: string;
}

export class MessagePageDto extends PageDtoOf(
  MessageDto,
  'Newest first with ?before (or none); oldest first with ?after',
) {}

/** A stored message as the API shows it, with its author's public view. */
export function toMessageDto(message: MessageRecord, author: UserPublicDto): MessageDto {
  return {
    id: message.id,
    roomKey: message.roomKey,
    author,
    text: message.text,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt.toISOString(),
    expiresAt: message.expiresAt.toISOString(),
  };
}
