/** Emitted when an account's role, ban or existence changes (sessions and sockets react). */
export const USERS_CHANGED = 'users.changed';

export interface UsersChanged {
  userId: string;
  banned?: boolean;
  deleted?: boolean;
}
