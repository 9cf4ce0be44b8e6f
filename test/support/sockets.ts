import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvents,
  ServerEventName,
  ServerEvents,
  ServerPayload,
} from '@app/realtime';

/** A Socket.IO client typed with the gateway's own event maps. */
export type TestSocket = Socket<ServerEvents, ClientEvents>;

export type ConnectError = Error & { data?: { code: string; message: string } };

const ACK_TIMEOUT_MS = 5000;

function client(
  baseUrl: string,
  auth: Record<string, unknown> | undefined,
  origin?: string,
): TestSocket {
  return io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(auth === undefined ? {} : { auth }),
    ...(origin === undefined ? {} : { extraHeaders: { origin } }),
  });
}

/** A connected socket for this access token; rejects with the connect_error. */
export function connectSocket(
  baseUrl: string,
  token: string,
  origin?: string,
): Promise<TestSocket> {
  const socket = client(baseUrl, { token }, origin);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The connect_error of a handshake that must be refused (fails if it connects). */
export function refusedConnection(
  baseUrl: string,
  auth: Record<string, unknown> | undefined,
  origin?: string,
): Promise<ConnectError> {
  const socket = client(baseUrl, auth, origin);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the socket connected'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error);
    });
  });
}

/** Sends a client event (any name and payload, for garbage too) and resolves with its ack. */
export function send(
  socket: TestSocket,
  event: string,
  ...args: unknown[]
): Promise<Ack<Record<string, unknown>>> {
  const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
    emitWithAck(event: string, ...args: unknown[]): Promise<Ack<Record<string, unknown>>>;
  };
  return timed.emitWithAck(event, ...args);
}

/** The next `event` whose payload matches `accept`. */
export function nextEvent<E extends ServerEventName>(
  socket: TestSocket,
  event: E,
  accept: (payload: ServerPayload<E>) => boolean = () => true,
): Promise<ServerPayload<E>> {
  return new Promise((resolve) => {
    const listener = (payload: ServerPayload<E>): void => {
      if (!accept(payload)) return;
      (socket.off as (e: string, l: unknown) => void)(event, listener);
      resolve(payload);
    };
    (socket.on as (e: string, l: unknown) => void)(event, listener);
  });
}

/** Every `event` the socket receives from now on, in order. */
export function record<E extends ServerEventName>(
  socket: TestSocket,
  event: E,
): ServerPayload<E>[] {
  const seen: ServerPayload<E>[] = [];
  (socket.on as (e: string, l: unknown) => void)(event, (payload: ServerPayload<E>) =>
    seen.push(payload),
  );
  return seen;
}

/** Resolves with the reason once the socket is disconnected. */
export function disconnection(socket: TestSocket): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve) =>
    socket.once('disconnect', (reason) => {
      resolve(reason);
    }),
  );
}

/** Closes every socket given (a closeAll resource). */
export function socketsClosable(sockets: TestSocket[]): { close(): Promise<void> } {
  return {
    close: () => {
      for (const socket of sockets.splice(0)) socket.close();
      return Promise.resolve();
    },
  };
}
