import { ApiObjectIdProperty, IsObjectIdString, IsOmittable, LimitQueryDto } from '@app/common';

export class ListMessagesQueryDto extends LimitQueryDto {
  @ApiObjectIdProperty({
    required: false,
    description:
      'Messages older than this one, newest first (nextCursor of the previous page). ' +
      'Not together with after (400)',
  })
  @IsOmittable()
  @IsObjectIdString()
  before?: string;

  @ApiObjectIdProperty({
    required: false,
    description:
      'Messages newer than this one, oldest first: what a client that reconnects missed. ' +
      'Not together with before (400)',
  })
  @IsOmittable()
  @IsObjectIdString()
  after?: string;
}
