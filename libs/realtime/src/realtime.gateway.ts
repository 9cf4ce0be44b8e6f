import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { ExtendedError } from 'socket.io';
import { AccessTokenAuthenticator } from '@app/auth';
import { AppConfig, DomainError } from '@app/common';
import { UsersService, toUserPublic } from '@app/users';
import { InFlight } from './in-flight';
import { RealtimeCommands } from './realtime.commands';
import { RealtimeEmitter, type RealtimeServer, type RealtimeSocket } from './realtime.emitter';
import { type Ack, type SocketError, socketRooms } from './realtime.events';
import { toSocketError } from './socket-error';

type Handler = (socket: RealtimeSocket, payload: unknown) => Promise<object>;

/** A refused handshake: connect_error's message is the code, its data the code and sentence. */
function refusal({ code, message }: SocketError): ExtendedError {
  return Object.assign(new Error(code), { data: { code, message } });
}

/**
 * The one Socket.IO gateway: authenticates the handshake before the socket joins anything, answers
 * every client event with an ack, and leaves presence when a socket goes.
 */
@WebSocketGateway({ path: '/socket.io' })
export class RealtimeGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown
{
  @WebSocketServer() private server!: RealtimeServer;
  private readonly logger = new Logger('Realtime');
  private readonly inFlight = new InFlight();
  private draining = false;
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly authenticator: AccessTokenAuthenticator,
    private readonly users: UsersService,
    private readonly commands: RealtimeCommands,
    private readonly emitter: RealtimeEmitter,
    private readonly config: AppConfig,
  ) {
    this.handlers = {
      'room:join': (socket, payload) => this.commands.join(socket, payload),
      'room:leave': (socket, payload) => this.commands.leave(socket, payload),
      'message:send': (socket, payload) => this.commands.send(socket, payload),
      typing: (socket, payload) => this.commands.typing(socket, payload),
    };
  }

  afterInit(server: RealtimeServer): void {
    this.emitter.attach(server);
    server.on('user:rooms-left', ({ userId, roomKeys }) => {
      const leaving = this.commands.leaveRoomsOf(userId, roomKeys).catch((error: unknown) => {
        this.logger.warn(
          `Sockets of ${userId} could not leave ${roomKeys.join(', ')}: ${String(error)}`,
        );
      });
      void this.inFlight.track(leaving);
    });
    server.use((socket, next) => {
      void this.admit(socket).then(
        () => {
          next();
        },
        (error: unknown) => {
          next(this.refused(error));
        },
      );
    });
  }

  handleConnection(socket: RealtimeSocket): void {
    const { userId, sessionId } = socket.data;
    void socket.join([socketRooms.user(userId), socketRooms.session(sessionId)]);
    socket.onAny((event: string, ...args: unknown[]) => {
      this.dispatch(socket, event, args);
    });
  }

  handleDisconnect(socket: RealtimeSocket): void {
    void this.inFlight.track(this.commands.leaveAll(socket));
  }

  /**
   * Tells this instance's clients to reconnect elsewhere, refuses new events, lets the handlers
   * in flight store and answer, then disconnects (the adapter closes the server afterwards).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    this.server.local.emit('server:shutdown', { reconnect: true });
    const timeoutMs = this.config.get('SHUTDOWN_TIMEOUT_MS');
    if (!(await this.inFlight.settled(timeoutMs))) {
      this.logger.warn(`Socket events still running after ${timeoutMs} ms: disconnecting anyway`);
    }
    const connections = [...this.server.sockets.sockets.values()].map((socket) => socket.conn);
    const closed = connections.map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.readyState === 'closed') resolve();
          else
            conn.once('close', () => {
              resolve();
            });
        }),
    );
    this.server.local.disconnectSockets(true);
    // Closing the server next would drop the disconnect packets still being written.
    await this.inFlight.track(Promise.all(closed));
    await this.inFlight.settled(timeoutMs);
  }

  private async admit(socket: RealtimeSocket): Promise<void> {
    if (this.draining) throw new DomainError('SERVICE_UNAVAILABLE', 'Server is shutting down');
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    const caller = await this.authenticator.authenticate(auth?.token);
    const user = await this.users.findById(caller.id);
    if (user === null) throw DomainError.unauthorized('Session ended; sign in again');
    socket.data = { userId: caller.id, sessionId: caller.sessionId, user: toUserPublic(user) };
  }

  private refused(error: unknown): ExtendedError {
    return refusal(toSocketError(error, this.logger, 'handshake'));
  }

  private dispatch(socket: RealtimeSocket, event: string, args: unknown[]): void {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (answer: Ack) => void) : undefined;
    const payload = args[0] === ack ? undefined : args[0];
    void this.inFlight.track(
      this.answer(socket, event, payload).then((answer) => {
        if (ack !== undefined && socket.connected) ack(answer);
      }),
    );
  }

  private async answer(socket: RealtimeSocket, event: string, payload: unknown): Promise<Ack> {
    try {
      if (this.draining) {
        throw new DomainError(
          'SERVICE_UNAVAILABLE',
          'Server is shutting down; reconnect and retry',
        );
      }
      const handler = Object.hasOwn(this.handlers, event) ? this.handlers[event] : undefined;
      if (handler === undefined) {
        await this.commands.countEvent(socket);
        throw new DomainError('BAD_REQUEST', `Unknown event "${event.slice(0, 50)}"`);
      }
      return { ok: true, ...(await handler(socket, payload)) };
    } catch (error) {
      return { ok: false, error: toSocketError(error, this.logger, event) };
    }
  }
}
