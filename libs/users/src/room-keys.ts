import { isCalendarDate } from './birth-date';

/**
 * The three birthday rooms a birth date puts a person in. This file is the one place keys and
 * titles are derived: the user document stores the keys (indexed), and a birth-date correction
 * recomputes them here.
 */
export const ROOM_KINDS = ['day', 'date', 'year'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

export interface RoomRef {
  key: string;
  kind: RoomKind;
  title: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A key's grammar: four-digit years (0001–9999), two-digit months and days. */
export const ROOM_KEY_PATTERN = '^(day-\\d{4}-\\d{2}-\\d{2}|date-\\d{2}-\\d{2}|year-\\d{4})$';
const DAY = /^day-(\d{4}-\d{2}-\d{2})$/;
const DATE = /^date-(\d{2})-(\d{2})$/;
const YEAR = /^year-(\d{4})$/;
/** A leap year, so that date-02-29 is a real date of some year. */
const LEAP_YEAR = '2000';

/** The day, date and year rooms of a YYYY-MM-DD birth date, in that order. */
export function roomsOf(birthDate: string): RoomRef[] {
  if (!isCalendarDate(birthDate))
    throw new Error(`Not a calendar date: ${JSON.stringify(birthDate)}`);
  const [year, month, day] = birthDate.split('-');
  return [
    { key: `day-${birthDate}`, kind: 'day', title: `Born on ${dayMonth(month, day)} ${year}` },
    { key: `date-${month}-${day}`, kind: 'date', title: `Born on ${dayMonth(month, day)}` },
    { key: `year-${year}`, kind: 'year', title: `Born in ${year}` },
  ];
}

/** The room keys of a birth date, as stored on the user document. */
export function roomKeysOf(birthDate: string): string[] {
  return roomsOf(birthDate).map((room) => room.key);
}

/**
 * The room a key names, or null when the key is malformed: wrong grammar, a date that is on no
 * calendar (date-02-30, day-2001-02-29) or year 0000.
 */
export function parseRoomKey(key: string): RoomRef | null {
  const day = DAY.exec(key);
  if (day) return isCalendarDate(day[1]) ? roomsOf(day[1])[0] : null;
  const date = DATE.exec(key);
  if (date) {
    const birthDate = `${LEAP_YEAR}-${date[1]}-${date[2]}`;
    return isCalendarDate(birthDate) ? roomsOf(birthDate)[1] : null;
  }
  const year = YEAR.exec(key);
  if (year) return year[1] === '0000' ? null : roomsOf(`${year[1]}-01-01`)[2];
  return null;
}

/**
 * The `date-MM-DD` key of a day or date room (whose members share a birthday), null for a year
 * room or a malformed key.
 */
export function birthdayKeyOf(key: string): string | null {
  const room = parseRoomKey(key);
  if (!room || room.kind === 'year') return null;
  return `date-${key.slice(-5)}`;
}

/**
 * The `date-MM-DD` keys whose members have their birthday on this UTC day: its own, and on 28
 * February of a year that is not a leap year, also 29 February's.
 */
export function birthdayKeysOn(day: Date): string[] {
  const [year, month, date] = day.toISOString().slice(0, 10).split('-');
  const keys = [`date-${month}-${date}`];
  if (month === '02' && date === '28' && !isCalendarDate(`${year}-02-29`)) keys.push('date-02-29');
  return keys;
}

/**
 * A room's number: distinct for every well-formed key and below 2^25 (kind, year, month and day
 * in bit fields), so that an id can carry the room it belongs to, as message ids do.
 */
export function roomNumber(key: string): number {
  const room = parseRoomKey(key);
  if (!room) throw new Error(`Not a room key: ${JSON.stringify(key)}`);
  const [year, month, day] = {
    day: () => key.slice(4).split('-'),
    date: () => ['0', ...key.slice(5).split('-')],
    year: () => [key.slice(5), '0', '0'],
  }
    [room.kind]()
    .map(Number);
  const kind = ROOM_KINDS.indexOf(room.kind) + 1;
  return kind * 2 ** 23 + year * 2 ** 9 + month * 2 ** 5 + day;
}

function dayMonth(month: string, day: string): string {
  return `${Number(day)} ${MONTHS[Number(month) - 1]}`;
}
