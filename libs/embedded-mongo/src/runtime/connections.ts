import type { Socket } from 'node:net';
import type { ServerState } from '../commands/context';

/**
 * Connection bookkeeping: the open client sockets, their ids and the counters `serverStatus`
 * reports. `destroyAll` closes whatever is still open when the store stops.
 */
export class Connections {
  private readonly sockets = new Set<Socket>();
  private lastId = 0;

  constructor(private readonly state: ServerState) {}

  /** Registers a new client socket and returns its connection id (1, 2, …). */
  accept(socket: Socket): number {
    const connectionId = ++this.lastId;
    this.sockets.add(socket);
    this.state.connectionsCurrent++;
    this.state.connectionsTotal++;
    socket.setNoDelay(true);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.state.connectionsCurrent--;
    });
    return connectionId;
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
