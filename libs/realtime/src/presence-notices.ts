import type { PresenceUpdate } from './realtime.events';

/** How long a room's presence changes are gathered into one broadcast after the last one sent. */
export const PRESENCE_NOTICE_WINDOW_MS = 250;

interface RoomWindow {
  readonly timer: NodeJS.Timeout;
  latest?: PresenceUpdate;
  changes: number;
}

/**
 * Coalesces a room's `presence:update` broadcasts. The first change in a quiet room goes out at
 * once; changes within the next window go out together when it ends, with the latest count and
 * the person only when one changed. A reconnect storm of N sockets then costs about N deliveries
 * per window instead of N per join (N² for the room).
 */
export class PresenceNotices {
  private readonly rooms = new Map<string, RoomWindow>();
  private closed = false;

  constructor(
    private readonly broadcast: (update: PresenceUpdate) => void,
    private readonly windowMs = PRESENCE_NOTICE_WINDOW_MS,
  ) {}

  changed(update: PresenceUpdate): void {
    const room = this.rooms.get(update.roomKey);
    if (!room) {
      this.broadcast(update);
      if (!this.closed) this.openWindow(update.roomKey);
      return;
    }
    room.latest = update;
    room.changes++;
  }

  /** Drops the pending broadcasts (the gateway is closing); later changes go out at once. */
  close(): void {
    this.closed = true;
    for (const room of this.rooms.values()) clearTimeout(room.timer);
    this.rooms.clear();
  }

  private openWindow(roomKey: string): void {
    const timer = setTimeout(() => {
      const room = this.rooms.get(roomKey);
      this.rooms.delete(roomKey);
      if (!room?.latest) return;
      const { onlineCount } = room.latest;
      this.broadcast(room.changes === 1 ? room.latest : { roomKey, onlineCount });
      this.openWindow(roomKey);
    }, this.windowMs);
    timer.unref();
    this.rooms.set(roomKey, { timer, changes: 0 });
  }
}
