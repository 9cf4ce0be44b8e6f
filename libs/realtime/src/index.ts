export { RealtimeEmitter } from './realtime.emitter';
export type {
  Ack,
  AckCallback,
  ClientEventName,
  ClientEvents,
  MessageSent,
  PresenceUpdate,
  RoomJoined,
  RoomLeft,
  RoomPayload,
  SendPayload,
  ServerEventName,
  ServerEvents,
  ServerPayload,
  SocketError,
  TypingSent,
} from './realtime.events';
export { socketRooms } from './realtime.events';
export { RealtimeIoAdapter } from './realtime-io.adapter';
export { RealtimeModule } from './realtime.module';
export { SOCKET_EVENTS } from './realtime.rate-limits';
export { PRESENCE_NOTICE_WINDOW_MS } from './presence-notices';
