import { DomainError } from '@app/common';
import { readRoomPayload, readSendPayload } from './socket-payload';

function detailsOf(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).details;
  }
  throw new Error('the payload was accepted');
}

describe('socket payloads', () => {
  it('reads {roomKey} and {roomKey, text, clientMessageId?}', () => {
    expect(readRoomPayload({ roomKey: 'year-1990' })).toEqual({ roomKey: 'year-1990' });
    expect(readSendPayload({ roomKey: 'year-1990', text: 'hi' })).toEqual({
      roomKey: 'year-1990',
      text: 'hi',
    });
    expect(readSendPayload({ roomKey: 'r', text: 'hi', clientMessageId: 'c' })).toEqual({
      roomKey: 'r',
      text: 'hi',
      clientMessageId: 'c',
    });
  });

  it.each([null, undefined, 42, 'year-1990', [], [{ roomKey: 'x' }], true])(
    'refuses %p: the payload must be an object',
    (payload) => {
      expect(detailsOf(() => readRoomPayload(payload))).toEqual([
        { field: 'payload', message: 'payload must be an object' },
      ]);
    },
  );

  it('names each missing, extra and non-string field', () => {
    expect(detailsOf(() => readSendPayload({ text: 5, extra: 1 }))).toEqual([
      { field: 'extra', message: 'property extra should not exist' },
      { field: 'roomKey', message: 'roomKey is required' },
      { field: 'text', message: 'text must be a string' },
    ]);
  });

  it('refuses operator and prototype keys at any depth, and deep nesting', () => {
    expect(detailsOf(() => readRoomPayload({ roomKey: { $ne: null } }))).toEqual([
      { field: 'roomKey.$ne', message: 'payload keys must not start with "$" or contain "."' },
    ]);
    const proto = JSON.parse('{"roomKey":"x","__proto__":{"a":1}}') as unknown;
    expect(detailsOf(() => readRoomPayload(proto))).toEqual([
      {
        field: '__proto__',
        message: 'payload keys must not be __proto__, constructor or prototype',
      },
    ]);
    const deep = JSON.parse(`{"roomKey":${'['.repeat(40)}${']'.repeat(40)}}`) as unknown;
    expect(detailsOf(() => readRoomPayload(deep))).toEqual([
      { field: 'roomKey', message: 'payload must not be nested deeper than 32 levels' },
    ]);
  });

  it('bounds the room key length (its form is the rooms service rule)', () => {
    expect(detailsOf(() => readRoomPayload({ roomKey: '' }))).toEqual([
      { field: 'roomKey', message: 'roomKey must be 1 to 100 characters' },
    ]);
    expect(detailsOf(() => readRoomPayload({ roomKey: 'x'.repeat(101) }))).toHaveLength(1);
  });
});
