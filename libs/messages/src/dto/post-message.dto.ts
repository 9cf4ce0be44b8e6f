import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { IsOmittable } from '@app/common';
import { CLIENT_MESSAGE_ID_PATTERN, MESSAGE_TEXT_MAX } from '../message-rules';

export class PostMessageDto {
  @ApiProperty({
    description:
      `Plain text, ${MESSAGE_TEXT_MAX} characters at most: control characters (but tab and line ` +
      'feed) are removed and surrounding spaces trimmed, and nothing may be left empty (400)',
    example: 'Happy to meet you all!',
    minLength: 1,
    maxLength: MESSAGE_TEXT_MAX,
  })
  // The length rule applies to the normalized text, so it is checked by the service.
  @IsString()
  text!: string;

  @ApiPropertyOptional({
    description:
      'Idempotency key of your choice (a UUID, say): posting again with the same key answers ' +
      'the first message, charged once',
    pattern: CLIENT_MESSAGE_ID_PATTERN,
    example: 'c1f7a2e4-0b1d-4a3e-9c55-2f8e1d7b6a90',
  })
  @IsOmittable()
  @IsString()
  @Matches(new RegExp(CLIENT_MESSAGE_ID_PATTERN), {
    message: 'clientMessageId must be 1 to 100 letters, digits, ".", "_", ":" or "-"',
  })
  clientMessageId?: string;
}
