import { Injectable } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import { RedisConnection } from '@app/redis';
import type {
  ClientEvents,
  InterServerEvents,
  ServerEventName,
  ServerEvents,
  ServerPayload,
  SocketData,
} from './realtime.events';

export type RealtimeServer = Server<ClientEvents, ServerEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientEvents, ServerEvents, InterServerEvents, SocketData>;

type Emit<E extends ServerEventName> = (event: E, payload: ServerPayload<E>) => boolean;

/**
 * The one way anything reaches clients: typed events to Socket.IO rooms. With the Redis adapter,
 * emits and disconnects reach the sockets of every instance. The gateway attaches its server.
 */
@Injectable()
export class RealtimeEmitter {
  private server: RealtimeServer | undefined;

  constructor(private readonly redis: RedisConnection) {}

  attach(server: RealtimeServer): void {
    this.server = server;
  }

  emitTo<E extends ServerEventName>(
    room: string | string[],
    event: E,
    payload: ServerPayload<E>,
    except?: string,
  ): void {
    if (this.server === undefined) return;
    const target = this.server.to(room);
    const operator = except === undefined ? target : target.except(except);
    (operator.emit as Emit<E>)(event, payload);
  }

  /** This instance's sockets in this room. */
  localSocketsIn(room: string): RealtimeSocket[] {
    if (this.server === undefined) return [];
    const ids = this.server.sockets.adapter.rooms.get(room) ?? new Set<string>();
    return [...ids].flatMap((id) => this.server?.sockets.sockets.get(id) ?? []);
  }

  /** Asks the other instances (with the Redis adapter; alone, there are none) to act. */
  toOtherInstances<E extends keyof InterServerEvents>(
    event: E,
    ...payload: Parameters<InterServerEvents[E]>
  ): void {
    if (this.server !== undefined && this.redis.client !== undefined) {
      this.server.serverSideEmit(event, ...payload);
    }
  }

  /** Disconnects, on every instance, the sockets in these rooms (a session ended, a user banned). */
  disconnectRooms(rooms: string[]): void {
    if (this.server !== undefined && rooms.length > 0) {
      this.server.in(rooms).disconnectSockets(true);
    }
  }
}
