/**
 * This instance's own sockets per room and user: tells whether a socket is the user's first
 * (or last) here in a room. Both presence stores keep one.
 */
export class LocalRooms {
  /** room → user → socket ids */
  private readonly rooms = new Map<string, Map<string, Set<string>>>();
  /** socket → rooms */
  private readonly sockets = new Map<string, Set<string>>();

  /** Adds the socket; 'first' when it is the user's first socket in the room here. */
  add(roomKey: string, userId: string, socketId: string): 'first' | 'more' | 'already' {
    let users = this.rooms.get(roomKey);
    if (!users) this.rooms.set(roomKey, (users = new Map<string, Set<string>>()));
    let sockets = users.get(userId);
    if (!sockets) users.set(userId, (sockets = new Set()));
    if (sockets.has(socketId)) return 'already';
    sockets.add(socketId);
    let rooms = this.sockets.get(socketId);
    if (!rooms) this.sockets.set(socketId, (rooms = new Set()));
    rooms.add(roomKey);
    return sockets.size === 1 ? 'first' : 'more';
  }

  /** Removes the socket; 'last' when it was the user's last socket in the room here. */
  remove(roomKey: string, userId: string, socketId: string): 'last' | 'more' | 'absent' {
    const users = this.rooms.get(roomKey);
    const sockets = users?.get(userId);
    if (!users || !sockets?.delete(socketId)) return 'absent';
    const rooms = this.sockets.get(socketId);
    rooms?.delete(roomKey);
    if (rooms?.size === 0) this.sockets.delete(socketId);
    if (sockets.size > 0) return 'more';
    users.delete(userId);
    if (users.size === 0) this.rooms.delete(roomKey);
    return 'last';
  }

  usersIn(roomKey: string): number {
    return this.rooms.get(roomKey)?.size ?? 0;
  }

  has(roomKey: string, userId: string): boolean {
    return this.rooms.get(roomKey)?.has(userId) ?? false;
  }

  roomsOfSocket(socketId: string): string[] {
    return [...(this.sockets.get(socketId) ?? [])];
  }

  /** Every (room, user) pair held here. */
  *pairs(): Generator<[string, string]> {
    for (const [roomKey, users] of this.rooms)
      for (const userId of users.keys()) yield [roomKey, userId];
  }
}
