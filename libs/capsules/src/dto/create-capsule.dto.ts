import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { ApiSchemaRules, DateTimeField, IsOmittable } from '@app/common';
import { CAPSULE_MESSAGE_MAX } from '../capsule-rules';
import { OPEN_ON_VALUES, type OpenOn } from '../capsule.schema';

@ApiSchemaRules({
  description: 'A message and exactly one of deliverAt and openOn (both, or neither, is 400).',
  minProperties: 2,
  maxProperties: 2,
})
export class CreateCapsuleDto {
  @ApiProperty({
    description:
      `Plain text, ${CAPSULE_MESSAGE_MAX} characters at most: control characters (but tab and ` +
      'line feed) are removed and surrounding spaces trimmed, and nothing may be left empty (400)',
    example: 'Dear me in ten years: did you learn the cello?',
    minLength: 1,
    maxLength: CAPSULE_MESSAGE_MAX,
  })
  // The length rule applies to the normalized text, so it is checked by the service.
  @IsString()
  message!: string;

  @DateTimeField({
    description:
      'When the capsule opens: at least 1 hour and at most 50 years from now. Not with openOn',
    example: '2030-05-17T09:00:00Z',
    optional: true,
  })
  deliverAt?: Date;

  @ApiPropertyOptional({
    enum: OPEN_ON_VALUES,
    example: 'next-birthday',
    description:
      'Instead of deliverAt: next-birthday seals it until your next birthday at 00:00 UTC (29 ' +
      'February opens on 28 February in common years). Not with deliverAt',
  })
  @IsOmittable()
  @IsIn(OPEN_ON_VALUES, { message: `openOn must be one of: ${OPEN_ON_VALUES.join(', ')}` })
  openOn?: OpenOn;
}
