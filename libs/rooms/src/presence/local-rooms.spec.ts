import { LocalRooms } from './local-rooms';

describe('LocalRooms', () => {
  it('counts a user with two tabs in a room once', () => {
    const local = new LocalRooms();
    expect(local.add('year-1990', 'ann', 's1')).toBe('first');
    expect(local.add('year-1990', 'ann', 's2')).toBe('more');
    expect(local.add('year-1990', 'bob', 's3')).toBe('first');
    expect(local.usersIn('year-1990')).toBe(2);
    expect(local.has('year-1990', 'ann')).toBe(true);
    expect([...local.pairs()].sort()).toEqual([
      ['year-1990', 'ann'],
      ['year-1990', 'bob'],
    ]);
  });

  it('answers already for a socket added twice, and changes nothing', () => {
    const local = new LocalRooms();
    local.add('year-1990', 'ann', 's1');
    expect(local.add('year-1990', 'ann', 's1')).toBe('already');
    expect(local.remove('year-1990', 'ann', 's1')).toBe('last');
    expect(local.usersIn('year-1990')).toBe(0);
  });

  it("says last only when the user's last socket in the room leaves", () => {
    const local = new LocalRooms();
    local.add('year-1990', 'ann', 's1');
    local.add('year-1990', 'ann', 's2');
    expect(local.remove('year-1990', 'ann', 's1')).toBe('more');
    expect(local.has('year-1990', 'ann')).toBe(true);
    expect(local.remove('year-1990', 'ann', 's2')).toBe('last');
    expect(local.has('year-1990', 'ann')).toBe(false);
    expect([...local.pairs()]).toEqual([]);
  });

  it('answers absent for a socket that is not in the room, and changes nothing', () => {
    const local = new LocalRooms();
    local.add('year-1990', 'ann', 's1');
    expect(local.remove('year-1990', 'ann', 's1')).toBe('last');
    expect(local.remove('year-1990', 'ann', 's1')).toBe('absent');
    expect(local.remove('date-05-17', 'ann', 's1')).toBe('absent');
    expect(local.remove('year-1990', 'bob', 's9')).toBe('absent');
    expect(local.usersIn('year-1990')).toBe(0);
  });

  it('knows the rooms of a socket until it leaves them', () => {
    const local = new LocalRooms();
    local.add('year-1990', 'ann', 's1');
    local.add('date-05-17', 'ann', 's1');
    local.add('year-1990', 'ann', 's2');
    expect(local.roomsOfSocket('s1').sort()).toEqual(['date-05-17', 'year-1990']);
    local.remove('year-1990', 'ann', 's1');
    expect(local.roomsOfSocket('s1')).toEqual(['date-05-17']);
    local.remove('date-05-17', 'ann', 's1');
    expect(local.roomsOfSocket('s1')).toEqual([]);
    expect(local.roomsOfSocket('s2')).toEqual(['year-1990']);
  });
});
