import type { UserPublicDto } from '@app/users';

/** Emitted once per UTC day and room whose members have their birthday (see BirthdaySpotlight). */
export const BIRTHDAYS_TODAY = 'rooms.birthdays-today';

export interface BirthdaysToday {
  roomKey: string;
  /** The room's members whose birthday it is, newest account first, at most 50. */
  users: UserPublicDto[];
}
