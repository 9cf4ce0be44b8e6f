/** Emitted when an account's role, ban or existence changes (sessions and sockets react). */
export const USERS_CHANGED = 'users.changed';

export interface UsersChanged {
  userId: string;
  banned?: boolean;
  deleted?: boolean;
}

/** Emitted when an admin's birth-date correction moves a user out of rooms (sockets leave them). */
export const USER_ROOMS_MOVED = 'users.rooms-moved';

export interface UserRoomsMoved {
  userId: string;
  /** The room keys the user is no longer a member of. */
  left: string[];
  /** The room keys the user newly belongs to. */
  joined: string[];
}
