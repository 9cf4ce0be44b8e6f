import { messageIdOf, messageSeqIn } from './message-ids';

describe('message ids', () => {
  it('are 24 hex digits that sort by the number within a room, and give the number back', () => {
    const ids = [0, 1, 2, 255, 256, 65_536, 2 ** 40, Number.MAX_SAFE_INTEGER].map((seq) =>
      messageIdOf('day-1990-05-17', seq),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => messageSeqIn(id, 'day-1990-05-17'))).toEqual([
      0,
      1,
      2,
      255,
      256,
      65_536,
      2 ** 40,
      Number.MAX_SAFE_INTEGER,
    ]);
  });

  it('differ between rooms for the same number, and sort above time-based ObjectIds', () => {
    const rooms = ['day-1990-05-17', 'date-05-17', 'year-1990', 'day-0001-01-01'];
    const ids = rooms.map((key) => messageIdOf(key, 7));
    expect(new Set(ids).size).toBe(rooms.length);
    const timeBased = '7fffffff' + 'f'.repeat(16);
    for (const id of ids) expect(id > timeBased).toBe(true);
    expect(messageSeqIn(ids[0], 'date-05-17')).toBeNull();
    expect(messageSeqIn('6650a1b2c3d4e5f601234567', 'day-1990-05-17')).toBeNull();
  });

  it('refuses a number that is not a whole number from 0 up', () => {
    for (const seq of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => messageIdOf('year-1990', seq)).toThrow('Not a message number');
    }
  });
});
