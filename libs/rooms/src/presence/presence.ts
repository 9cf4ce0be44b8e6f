/** What a socket entering or leaving a room did to the room's presence. */
export interface PresenceChange {
  /** Distinct users online in the room now (two tabs are one person), across every instance. */
  onlineCount: number;
  /** True when the user came online in the room (enter) or went offline in it (exit). */
  changed: boolean;
}

/**
 * Who is in which room: distinct users with at least one socket that joined the room. In process
 * memory for one instance; in Redis when REDIS_URL is set, so every instance sees the same counts
 * and the entries of an instance that dies vanish within PRESENCE_TTL_SECONDS.
 */
export abstract class Presence {
  /** Records that `socketId` of `userId` joined `roomKey` (idempotent per socket). */
  abstract enter(roomKey: string, userId: string, socketId: string): Promise<PresenceChange>;
  /** Records that `socketId` left `roomKey` (idempotent; unknown sockets change nothing). */
  abstract exit(roomKey: string, userId: string, socketId: string): Promise<PresenceChange>;
  /** Distinct users online in each room, in the order of `roomKeys`. */
  abstract counts(roomKeys: readonly string[]): Promise<number[]>;
  /** Which of `userIds` are online in `roomKey`. */
  abstract onlineAmong(roomKey: string, userIds: readonly string[]): Promise<Set<string>>;
  /** The rooms a socket is in on this instance (to leave them all when it disconnects). */
  abstract roomsOfSocket(socketId: string): string[];
}
