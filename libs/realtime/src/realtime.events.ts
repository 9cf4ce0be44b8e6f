import type { CapsuleDto } from '@app/capsules';
import type { ErrorCode, ErrorDetail } from '@app/common';
import type { MessageDto } from '@app/messages';
import type { SponsorView } from '@app/sponsors';
import type { UserPublicDto } from '@app/users';

/** The error of a refused client event, as in an HTTP error body: a stable code and a sentence. */
export interface SocketError {
  code: ErrorCode;
  message: string;
  /** For VALIDATION_FAILED: each bad field. */
  details?: ErrorDetail[];
  /** For RATE_LIMITED: seconds until the client may try again. */
  retryAfterSeconds?: number;
}

/** The answer to every client event: `{ok: true, …}` or `{ok: false, error}`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: SocketError };

export type AckCallback<T extends object = object> = (answer: Ack<T>) => void;

export interface RoomPayload {
  roomKey: string;
}

export interface SendPayload {
  roomKey: string;
  text: string;
  clientMessageId?: string;
}

export interface RoomJoined {
  roomKey: string;
  /** Distinct users live in the room, this one included. */
  online: number;
  /**
   * The room's sponsor, as GET /rooms/:key/sponsor answers it: only on the session's first entry
   * into the room with an eligible sponsor; null otherwise.
   */
  sponsor: SponsorView | null;
}

export interface RoomLeft {
  roomKey: string;
}

export interface MessageSent {
  message: MessageDto;
  /** False when the clientMessageId was already used: `message` is the first one, not charged. */
  created: boolean;
}

export interface TypingSent {
  roomKey: string;
  /** False when the user's previous typing notice in this room is too recent to repeat. */
  sent: boolean;
}

/** Client → server events; each takes an ack callback as its last argument. */
export interface ClientEvents {
  'room:join': (payload: RoomPayload, ack: AckCallback<RoomJoined>) => void;
  'room:leave': (payload: RoomPayload, ack: AckCallback<RoomLeft>) => void;
  'message:send': (payload: SendPayload, ack: AckCallback<MessageSent>) => void;
  typing: (payload: RoomPayload, ack: AckCallback<TypingSent>) => void;
}

export type ClientEventName = keyof ClientEvents;

export interface PresenceUpdate {
  roomKey: string;
  onlineCount: number;
  /** The user who came online in the room (their first socket joined it). */
  joined?: UserPublicDto;
  /** The user who went offline in the room (their last socket left it or disconnected). */
  left?: UserPublicDto;
}

/** Server → client events: the one map the gateway emits through and clients (tests) listen to. */
export interface ServerEvents {
  'message:new': (payload: { message: MessageDto }) => void;
  'message:deleted': (payload: { id: string; roomKey: string }) => void;
  'presence:update': (payload: PresenceUpdate) => void;
  typing: (payload: { roomKey: string; user: UserPublicDto }) => void;
  'capsule:delivered': (payload: { capsule: CapsuleDto }) => void;
  'tokens:balance': (payload: { balance: number }) => void;
  /** Once per UTC day, to a day or date room whose members have their birthday. */
  'birthday:today': (payload: { roomKey: string; users: UserPublicDto[] }) => void;
  /** This instance is stopping: reconnect (to another one) and catch up with `after=<id>`. */
  'server:shutdown': (payload: { reconnect: true }) => void;
}

export type ServerEventName = keyof ServerEvents;
export type ServerPayload<E extends ServerEventName> = Parameters<ServerEvents[E]>[0];

/** What the handshake leaves on each socket. */
/** What one instance asks of the others (through the Redis adapter) for their own sockets. */
export interface InterServerEvents {
  /** Take the user's sockets out of these rooms (the user is no longer a member). */
  'user:rooms-left': (payload: { userId: string; roomKeys: string[] }) => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  user: UserPublicDto;
}

/** Socket.IO rooms the gateway uses: one per user, per session and per chat room. */
export const socketRooms = {
  user: (userId: string): string => `user:${userId}`,
  session: (sessionId: string): string => `session:${sessionId}`,
  room: (roomKey: string): string => `room:${roomKey}`,
};
