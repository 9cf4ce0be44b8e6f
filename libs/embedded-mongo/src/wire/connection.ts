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

export type CommandRunner = (command: Doc, db: string) => Doc;

let nextResponseId = 1;

/**
 * Reads length-prefixed messages from one client socket and answers each in order. Commands run
 * synchronously, so a reply is written before the next message is looked at.
 */
export function serveConnection(socket: Socket, run: CommandRunner): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const handle = (message: Buffer): void => {
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
    if (request.noReply) return;
    const responseId = nextResponseId++ & 0x7fffffff;
    const encode = request.header.opCode === OP_QUERY ? encodeReply : encodeMsg;
    socket.write(encode(reply, responseId, request.header.requestId));
  };

  socket.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= 4) {
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
      handle(buffer.subarray(0, length));
    }
  });
  socket.on('error', () => socket.destroy());
}
