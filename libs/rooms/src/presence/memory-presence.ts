import { LocalRooms } from './local-rooms';
import { Presence, type PresenceChange } from './presence';

/** Presence of one process, in memory (no REDIS_URL). */
export class MemoryPresence extends Presence {
  private readonly local = new LocalRooms();

  enter(roomKey: string, userId: string, socketId: string): Promise<PresenceChange> {
    const added = this.local.add(roomKey, userId, socketId);
    return Promise.resolve({
      onlineCount: this.local.usersIn(roomKey),
      changed: added === 'first',
    });
  }

  exit(roomKey: string, userId: string, socketId: string): Promise<PresenceChange> {
    const removed = this.local.remove(roomKey, userId, socketId);
    return Promise.resolve({
      onlineCount: this.local.usersIn(roomKey),
      changed: removed === 'last',
    });
  }

  counts(roomKeys: readonly string[]): Promise<number[]> {
    return Promise.resolve(roomKeys.map((key) => this.local.usersIn(key)));
  }

  onlineAmong(roomKey: string, userIds: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(userIds.filter((id) => this.local.has(roomKey, id))));
  }

  roomsOfSocket(socketId: string): string[] {
    return this.local.roomsOfSocket(socketId);
  }
}
