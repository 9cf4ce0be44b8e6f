import {
  birthdayKeyOf,
  birthdayKeysOn,
  parseRoomKey,
  roomKeysOf,
  roomNumber,
  roomsOf,
} from './room-keys';

describe('room keys', () => {
  it('derives the day, date and year rooms of a birth date, titled in English', () => {
    expect(roomsOf('1990-05-17')).toEqual([
      { key: 'day-1990-05-17', kind: 'day', title: 'Born on 17 May 1990' },
      { key: 'date-05-17', kind: 'date', title: 'Born on 17 May' },
      { key: 'year-1990', kind: 'year', title: 'Born in 1990' },
    ]);
    expect(roomKeysOf('1990-05-17')).toEqual(['day-1990-05-17', 'date-05-17', 'year-1990']);
  });

  it('writes the day without a leading zero and names every month', () => {
    expect(roomsOf('2000-01-01')[1].title).toBe('Born on 1 January');
    expect(roomsOf('1999-12-31')[0].title).toBe('Born on 31 December 1999');
    expect(roomsOf('1984-09-09')[1].title).toBe('Born on 9 September');
  });

  it('pads years before 1000 to four digits', () => {
    expect(roomKeysOf('0999-03-04')).toEqual(['day-0999-03-04', 'date-03-04', 'year-0999']);
    expect(roomsOf('0999-03-04')[2].title).toBe('Born in 0999');
    expect(parseRoomKey('year-0999')).toEqual({
      key: 'year-0999',
      kind: 'year',
      title: 'Born in 0999',
    });
  });

  it('refuses to derive rooms from a date that is on no calendar', () => {
    expect(() => roomsOf('2001-02-29')).toThrow('Not a calendar date: "2001-02-29"');
  });

  it.each([
    ['day-1990-05-17', { key: 'day-1990-05-17', kind: 'day', title: 'Born on 17 May 1990' }],
    ['date-05-17', { key: 'date-05-17', kind: 'date', title: 'Born on 17 May' }],
    ['year-1990', { key: 'year-1990', kind: 'year', title: 'Born in 1990' }],
    ['date-02-29', { key: 'date-02-29', kind: 'date', title: 'Born on 29 February' }],
    ['day-2000-02-29', { key: 'day-2000-02-29', kind: 'day', title: 'Born on 29 February 2000' }],
    ['year-0001', { key: 'year-0001', kind: 'year', title: 'Born in 0001' }],
  ])('parses the well-formed key %s', (key, room) => {
    expect(parseRoomKey(key)).toEqual(room);
  });

  it.each([
    'day-2001-02-29',
    'date-02-30',
    'date-04-31',
    'date-13-01',
    'date-00-10',
    'day-1990-13-01',
    'day-0000-01-01',
    'year-0000',
    'year-990',
    'year-19900',
    'day-1990-5-17',
    'date-5-17',
    'DAY-1990-05-17',
    'day-1990-05-17 ',
    ' year-1990',
    'month-05',
    'date-05-17\nyear-1990',
    '',
    'garbage',
  ])('finds no room for the malformed key %p', (key) => {
    expect(parseRoomKey(key)).toBeNull();
  });

  it('numbers every room distinctly, below 2^25', () => {
    const keys = new Set<string>();
    for (const year of ['0001', '0999', '1990', '2000', '9999']) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          if (parseRoomKey(`day-${date}`)) for (const key of roomKeysOf(date)) keys.add(key);
        }
      }
    }
    keys.add('date-02-29');
    const numbers = [...keys].map(roomNumber);
    expect(new Set(numbers).size).toBe(keys.size);
    for (const n of numbers) expect(n > 0 && n < 2 ** 25 && Number.isInteger(n)).toBe(true);
    expect(roomNumber('year-1990')).not.toBe(roomNumber('date-01-01'));
    expect(() => roomNumber('day-2001-02-29')).toThrow('Not a room key');
  });

  it('names the birthday of day and date rooms, none for year rooms', () => {
    expect(birthdayKeyOf('day-1990-05-17')).toBe('date-05-17');
    expect(birthdayKeyOf('date-02-29')).toBe('date-02-29');
    expect(birthdayKeyOf('year-1990')).toBeNull();
    expect(birthdayKeyOf('day-2001-02-29')).toBeNull();
  });

  it('celebrates 29 February on the 28th in years without it, and on the 29th in leap years', () => {
    expect(birthdayKeysOn(new Date('2026-05-17T00:00:00Z'))).toEqual(['date-05-17']);
    expect(birthdayKeysOn(new Date('2027-02-28T23:59:59Z'))).toEqual(['date-02-28', 'date-02-29']);
    expect(birthdayKeysOn(new Date('2028-02-28T12:00:00Z'))).toEqual(['date-02-28']);
    expect(birthdayKeysOn(new Date('2028-02-29T12:00:00Z'))).toEqual(['date-02-29']);
    expect(birthdayKeysOn(new Date('2028-03-01T00:00:00Z'))).toEqual(['date-03-01']);
  });
});
