import { deserialize, DeserializeOptions, serialize } from 'bson';
import { Doc } from '../bson/values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;
export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;

/** Values stay BSON-typed: an int32 stays Int32, a double stays Double, an int64 keeps its 64 bits. */
export const DESERIALIZE: DeserializeOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface Request {
  header: Header;
  /** The command document, with OP_MSG document sequences merged in as arrays. */
  command: Doc;
  /** For OP_QUERY: the database of `<db>.$cmd`. */
  db?: string;
  /** The client asked for no reply (OP_MSG moreToCome). */
  noReply: boolean;
}

export function readHeader(buffer: Buffer): Header {
  return {
    length: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

function readCString(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new Error('unterminated cstring');
  return [buffer.toString('utf8', offset, end), end + 1];
}

function readDocument(buffer: Buffer, offset: number): [Doc, number] {
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) throw new Error('invalid BSON document length');
  return [deserialize(buffer.subarray(offset, offset + size), DESERIALIZE), offset + size];
}

function parseMsg(message: Buffer, header: Header): Request {
  const flags = message.readUInt32LE(HEADER_SIZE);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let command: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  while (offset < end) {
    const kind = message.readUInt8(offset++);
    if (kind === 0) {
      [command, offset] = readDocument(message, offset);
    } else if (kind === 1) {
      const sectionEnd = offset + message.readInt32LE(offset);
      let identifier: string;
      [identifier, offset] = readCString(message, offset + 4);
      const docs: Doc[] = [];
      while (offset < sectionEnd) {
        let doc: Doc;
        [doc, offset] = readDocument(message, offset);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new Error('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) command[identifier] = docs;
  return { header, command, noReply: (flags & MORE_TO_COME) !== 0 };
}

function parseQuery(message: Buffer, header: Header): Request {
  const [collection, offset] = readCString(message, HEADER_SIZE + 4);
  const [query] = readDocument(message, offset + 8);
  const command =
    '$query' in query && typeof query.$query === 'object' ? (query.$query as Doc) : query;
  const db = collection.endsWith('.$cmd') ? collection.slice(0, -5) : collection.split('.')[0];
  return { header, command, db, noReply: false };
}

/** Parses one complete message (OP_MSG, or the legacy OP_QUERY the handshake uses). */
export function parseRequest(message: Buffer): Request {
  const header = readHeader(message);
  if (header.opCode === OP_MSG) return parseMsg(message, header);
  if (header.opCode === OP_QUERY) return parseQuery(message, header);
  throw new Error(`unsupported opCode ${header.opCode}`);
}

/**
 * A reply message in one buffer (written with one write): the header, `prefix` bytes of
 * opCode-specific fields (zeros), then the reply document.
 */
function encode(
  reply: Doc,
  requestId: number,
  responseTo: number,
  opCode: number,
  prefix: number,
): Buffer {
  const body = serialize(reply);
  const bodyAt = HEADER_SIZE + prefix;
  const message = Buffer.allocUnsafe(bodyAt + body.length);
  message.writeInt32LE(message.length, 0);
  message.writeInt32LE(requestId, 4);
  message.writeInt32LE(responseTo, 8);
  message.writeInt32LE(opCode, 12);
  message.fill(0, HEADER_SIZE, bodyAt);
  message.set(body, bodyAt);
  return message;
}

/** An OP_MSG reply: flags 0, then one kind-0 section. */
export function encodeMsg(reply: Doc, requestId: number, responseTo: number): Buffer {
  return encode(reply, requestId, responseTo, OP_MSG, 5);
}

/** An OP_REPLY carrying one document (answer to OP_QUERY): no cursor, starting at 0. */
export function encodeReply(reply: Doc, requestId: number, responseTo: number): Buffer {
  const message = encode(reply, requestId, responseTo, OP_REPLY, 20);
  message.writeInt32LE(1, HEADER_SIZE + 16);
  return message;
}
