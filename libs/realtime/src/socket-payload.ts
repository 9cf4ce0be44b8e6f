import { DomainError, type ErrorDetail, payloadProblemDetails } from '@app/common';
import type { RoomPayload, SendPayload } from './realtime.events';

/** Longest room key a payload may carry; well-formedness itself is the rooms service's rule. */
const ROOM_KEY_MAX = 100;

/**
 * The string fields of a client event's payload: an object with exactly the fields named (the
 * required ones present), each a string, with no operator or prototype keys at any depth. Anything
 * else is VALIDATION_FAILED naming each bad field.
 */
function readStrings(
  payload: unknown,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, string | undefined> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw DomainError.validation([{ field: 'payload', message: 'payload must be an object' }]);
  }
  const forbidden = payloadProblemDetails('payload', payload);
  if (forbidden.length > 0) throw DomainError.validation(forbidden);
  const fields = payload as Record<string, unknown>;
  const allowed = new Set([...required, ...optional]);
  const details: ErrorDetail[] = Object.keys(fields)
    .filter((field) => !allowed.has(field))
    .map((field) => ({ field, message: `property ${field} should not exist` }));
  const values: Record<string, string | undefined> = {};
  for (const field of allowed) {
    const value = fields[field];
    if (value === undefined) {
      if (required.includes(field)) details.push({ field, message: `${field} is required` });
    } else if (typeof value !== 'string') {
      details.push({ field, message: `${field} must be a string` });
    } else {
      values[field] = value;
    }
  }
  if (details.length > 0) throw DomainError.validation(details);
  return values;
}

function checkRoomKey(roomKey: string): string {
  if (roomKey.length === 0 || roomKey.length > ROOM_KEY_MAX) {
    throw DomainError.validation([
      { field: 'roomKey', message: `roomKey must be 1 to ${ROOM_KEY_MAX} characters` },
    ]);
  }
  return roomKey;
}

/** `{roomKey}` of room:join, room:leave and typing. */
export function readRoomPayload(payload: unknown): RoomPayload {
  const { roomKey } = readStrings(payload, ['roomKey']);
  return { roomKey: checkRoomKey(roomKey as string) };
}

/** `{roomKey, text, clientMessageId?}` of message:send; text and key rules are the service's. */
export function readSendPayload(payload: unknown): SendPayload {
  const { roomKey, text, clientMessageId } = readStrings(
    payload,
    ['roomKey', 'text'],
    ['clientMessageId'],
  );
  return {
    roomKey: checkRoomKey(roomKey as string),
    text: text as string,
    ...(clientMessageId === undefined ? {} : { clientMessageId }),
  };
}
