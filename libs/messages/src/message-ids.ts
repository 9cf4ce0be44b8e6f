import { roomNumber } from '@app/users';

/**
 * Message ids are the room's sequence, so that their order is the order in which messages became
 * visible (see MessagesRepository.insertNext): 12 bytes, an ObjectId to every driver and tool, of
 * which the first 4 are the room's number with the top bit set and the last 8 the message's
 * number in its room. The top bit puts them above every time-based ObjectId until 2038, so ids
 * of messages stored before this scheme sort before the room's newer ones.
 */
const ROOM_FLAG = 0x80000000;

/** The id of a room's `seq`th message. */
export function messageIdOf(roomKey: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`Not a message number: ${seq}`);
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE((ROOM_FLAG | roomNumber(roomKey)) >>> 0, 0);
  bytes.writeBigUInt64BE(BigInt(seq), 4);
  return bytes.toString('hex');
}

/** The message's number in the room, or null for an id messageIdOf did not make for this room. */
export function messageSeqIn(id: string, roomKey: string): number | null {
  const seq = Number(Buffer.from(id, 'hex').readBigUInt64BE(4));
  return Number.isSafeInteger(seq) && messageIdOf(roomKey, seq) === id ? seq : null;
}
