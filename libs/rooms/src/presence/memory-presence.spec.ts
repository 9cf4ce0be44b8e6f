import { MemoryPresence } from './memory-presence';

describe('MemoryPresence', () => {
  it('counts distinct users: a second tab of the same user changes nothing', async () => {
    const presence = new MemoryPresence();
    expect(await presence.enter('year-1990', 'ann', 's1')).toEqual({
      onlineCount: 1,
      changed: true,
    });
    expect(await presence.enter('year-1990', 'ann', 's2')).toEqual({
      onlineCount: 1,
      changed: false,
    });
    expect(await presence.enter('year-1990', 'bob', 's3')).toEqual({
      onlineCount: 2,
      changed: true,
    });
    expect(await presence.counts(['year-1990', 'date-05-17'])).toEqual([2, 0]);
    expect(await presence.onlineAmong('year-1990', ['ann', 'bob', 'cat'])).toEqual(
      new Set(['ann', 'bob']),
    );
  });

  it('enter is idempotent per socket', async () => {
    const presence = new MemoryPresence();
    await presence.enter('year-1990', 'ann', 's1');
    expect(await presence.enter('year-1990', 'ann', 's1')).toEqual({
      onlineCount: 1,
      changed: false,
    });
    expect(await presence.exit('year-1990', 'ann', 's1')).toEqual({
      onlineCount: 0,
      changed: true,
    });
  });

  it('a user goes offline only when their last socket leaves; a repeated exit changes nothing', async () => {
    const presence = new MemoryPresence();
    await presence.enter('year-1990', 'ann', 's1');
    await presence.enter('year-1990', 'ann', 's2');
    expect(await presence.exit('year-1990', 'ann', 's1')).toEqual({
      onlineCount: 1,
      changed: false,
    });
    expect(await presence.exit('year-1990', 'ann', 's2')).toEqual({
      onlineCount: 0,
      changed: true,
    });
    expect(await presence.exit('year-1990', 'ann', 's2')).toEqual({
      onlineCount: 0,
      changed: false,
    });
    expect(await presence.onlineAmong('year-1990', ['ann'])).toEqual(new Set());
  });

  it('keeps rooms apart and lists the rooms of a socket', async () => {
    const presence = new MemoryPresence();
    await presence.enter('year-1990', 'ann', 's1');
    await presence.enter('date-05-17', 'ann', 's1');
    expect(presence.roomsOfSocket('s1').sort()).toEqual(['date-05-17', 'year-1990']);
    await presence.exit('year-1990', 'ann', 's1');
    expect(await presence.counts(['year-1990', 'date-05-17'])).toEqual([0, 1]);
    expect(presence.roomsOfSocket('s1')).toEqual(['date-05-17']);
  });
});
