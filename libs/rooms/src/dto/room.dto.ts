import { ApiProperty } from '@nestjs/swagger';
import { PageDtoOf } from '@app/common';
import { ROOM_KEY_PATTERN, ROOM_KINDS, type RoomKind, UserPublicDto } from '@app/users';

export class RoomDto {
  @ApiProperty({ pattern: ROOM_KEY_PATTERN, example: 'day-1990-05-17' })
  key!: string;

  @ApiProperty({ enum: ROOM_KINDS, example: 'day' })
  kind!: RoomKind;

  @ApiProperty({ example: 'Born on 17 May 1990' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 12, description: 'Members, banned accounts excluded' })
  memberCount!: number;

  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'Distinct members with a socket in the room now (two tabs are one person)',
  })
  onlineCount!: number;

  @ApiProperty({
    type: [UserPublicDto],
    description:
      'Members whose birthday it is today (UTC; 29 February is celebrated on 28 February in other ' +
      'years): in a day or date room on its date, newest account first, at most 50; always empty ' +
      'in a year room',
  })
  birthdaysToday!: UserPublicDto[];
}

export class RoomMemberDto extends UserPublicDto {
  @ApiProperty({ example: true, description: 'Whether the member has a socket in this room now' })
  online!: boolean;
}

export class RoomMemberPageDto extends PageDtoOf(RoomMemberDto, 'Newest account first') {}
