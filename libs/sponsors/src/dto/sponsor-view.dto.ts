import { ApiProperty } from '@nestjs/swagger';
import { ApiObjectIdProperty } from '@app/common';
import type { SponsorView } from '../sponsor.record';

export class SponsorViewDto implements SponsorView {
  @ApiObjectIdProperty()
  id!: string;

  @ApiProperty({ example: 'Cake & Co.' })
  name!: string;

  @ApiProperty({ example: 'A birthday cake for the whole room, 20% off this week.' })
  text!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://cdn.example.com/cake.png',
    description: 'null: a text-only sponsor',
  })
  imageUrl!: string | null;

  @ApiProperty({ example: 'https://example.com/spring-sale' })
  linkUrl!: string;

  @ApiProperty({ type: 'integer', example: 5, description: 'How long the client shows it' })
  displaySeconds!: number;
}
