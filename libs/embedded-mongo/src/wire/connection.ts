import { Socket } from 'node:net';
import { Doc } from '../bson/values';
import {
  encodeMsg,
  encodeReply,
  HEADER_SIZE,
  MAX_MESSAGE_SIZE,
  OP_QUERY,
  parseRequest,
} from './protocol';

/** A reply, or a promise of it (a `j: true` write waits for the journal's flush). */
export type CommandRunner = (command: Doc, db: string) => Doc | Promise<Doc>;

let nextResponseId = 1;

/**
 * Reads length-prefixed messages from one client socket and answers each in order. Commands run
 * synchronously, so a reply is written before the next message is looked at; a reply that has
 * to wait (a promise) holds the connection's next messages until it is written.
 */
export function serveConnection(socket: Socket, run: CommandRunner): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let waiting = false;

  const handle = (message: Buffer): Promise<void> | undefined => {
    let request;
    try {
      request = parseRequest(message);
    } catch {
      socket.destroy();
      return;
    }
    const db =
      request.db ?? (typeof request.command.$db === 'string' ? request.command.$db : 'admin');
    const reply = run(request.command, db);
    const send = (answer: Doc): void => {
      if (request.noReply || socket.destroyed) return;
      const responseId = nextResponseId++ & 0x7fffffff;
      const encode = request.header.opCode === OP_QUERY ? encodeReply : encodeMsg;
      socket.write(encode(answer, responseId, request.header.requestId));
    };
    if (!(reply instanceof Promise)) {
      send(reply);
      return undefined;
    }
    return reply.then(send);
  };

  const drain = (): void => {
    while (!waiting && pendingBytes >= 4) {
      const buffer = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      const length = buffer.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        socket.destroy();
        return;
      }
      if (buffer.length < length) {
        pending = [buffer];
        return;
      }
      const rest = buffer.subarray(length);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
      const later = handle(buffer.subarray(0, length));
      if (later) {
        waiting = true;
        void later.then(() => {
          waiting = false;
          drain();
        });
      }
    }
  };

  socket.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    drain();
  });
  socket.on('error', () => socket.destroy());
}
