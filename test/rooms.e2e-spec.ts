import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { UsersService } from '@app/users';
import {
  AVATAR_URL,
  createTestApp,
  expectError,
  refreshSession,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

const ROOMS = '/api/v1/rooms';
const NO_SUCH_ROOM = 'No such room: keys look like day-1990-05-17, date-05-17 or year-1990';
const NOT_A_MEMBER = 'Only members of this room may do this';
const PUBLIC_KEYS = ['avatarUrl', 'bio', 'displayName', 'id', 'online'];

interface RoomBody {
  key: string;
  kind: string;
  title: string;
  memberCount: number;
  onlineCount: number;
  birthdaysToday: { id: string }[];
}

interface MembersBody {
  items: { id: string; online: boolean }[];
  nextCursor: string | null;
}

describe('rooms: the three birthday rooms, membership and members', () => {
  let t: TestApp;

  /** No birth date of this file falls on it: birthdaysToday is empty unless a test moves the clock. */
  const ORDINARY_DAY = new Date('2026-10-10T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(ORDINARY_DAY);
  });

  afterAll(async () => {
    await closeAll(t);
  });

  async function roomsOf(user: TestSession): Promise<RoomBody[]> {
    const res = await t.http.get(ROOMS).set(user.auth);
    expect(res.status).toBe(200);
    return res.body as RoomBody[];
  }

  async function roomOf(user: TestSession, key: string): Promise<RoomBody> {
    const res = await t.http.get(`${ROOMS}/${key}`).set(user.auth);
    expect(res.status).toBe(200);
    return res.body as RoomBody;
  }

  async function membersOf(user: TestSession, key: string, query = ''): Promise<MembersBody> {
    const res = await t.http.get(`${ROOMS}/${key}/members${query}`).set(user.auth);
    expect(res.status).toBe(200);
    return res.body as MembersBody;
  }

  describe('GET /rooms', () => {
    it('lists the caller’s day, date and year rooms with titles, member counts and no one online', async () => {
      // Each test uses birth dates of its own, so the counts are its own users only.
      const ann = await signUp(t, { birthDate: '1961-03-07' });
      await signUp(t, { birthDate: '1961-03-07' }); // same day
      await signUp(t, { birthDate: '1975-03-07' }); // same date, another year
      await signUp(t, { birthDate: '1961-11-30' }); // same year
      await signUp(t, { birthDate: '1962-03-08' }); // none of them
      expect(await roomsOf(ann)).toEqual([
        {
          key: 'day-1961-03-07',
          kind: 'day',
          title: 'Born on 7 March 1961',
          memberCount: 2,
          onlineCount: 0,
          birthdaysToday: [],
        },
        {
          key: 'date-03-07',
          kind: 'date',
          title: 'Born on 7 March',
          memberCount: 3,
          onlineCount: 0,
          birthdaysToday: [],
        },
        {
          key: 'year-1961',
          kind: 'year',
          title: 'Born in 1961',
          memberCount: 3,
          onlineCount: 0,
          birthdaysToday: [],
        },
      ]);
    });

    it('does not count banned users', async () => {
      const ann = await signUp(t, { birthDate: '1963-06-01' });
      const bob = await signUp(t, { birthDate: '1963-06-01' });
      expect((await roomsOf(ann)).map((room) => room.memberCount)).toEqual([2, 2, 2]);
      await t.app.get(UsersService).updateByAdmin(bob.id, { banned: true });
      expect((await roomsOf(ann)).map((room) => room.memberCount)).toEqual([1, 1, 1]);
      expect((await membersOf(ann, 'day-1963-06-01')).items.map((m) => m.id)).toEqual([ann.id]);
      await t.app.get(UsersService).updateByAdmin(bob.id, { banned: false });
      expect((await roomsOf(ann)).map((room) => room.memberCount)).toEqual([2, 2, 2]);
    });

    it('follows a birth-date correction: new rooms, old ones closed, counts moved', async () => {
      const ann = await signUp(t, { birthDate: '1964-01-15' });
      const bob = await signUp(t, { birthDate: '1964-01-15' });
      const cat = await signUp(t, { birthDate: '1965-02-16' });
      await t.app.get(UsersService).updateByAdmin(bob.id, { birthDate: '1965-02-16' });

      expect((await roomsOf(bob)).map((room) => [room.key, room.memberCount])).toEqual([
        ['day-1965-02-16', 2],
        ['date-02-16', 2],
        ['year-1965', 2],
      ]);
      expect((await roomsOf(ann)).map((room) => [room.key, room.memberCount])).toEqual([
        ['day-1964-01-15', 1],
        ['date-01-15', 1],
        ['year-1964', 1],
      ]);
      for (const key of ['day-1964-01-15', 'date-01-15', 'year-1964']) {
        expectError(
          await t.http.get(`${ROOMS}/${key}`).set(bob.auth),
          403,
          'FORBIDDEN',
          NOT_A_MEMBER,
        );
      }
      expect((await roomOf(bob, 'day-1965-02-16')).memberCount).toBe(2);
      expect((await membersOf(cat, 'day-1965-02-16')).items.map((m) => m.id)).toEqual([
        cat.id,
        bob.id,
      ]);
    });

    it('counts members through the {rooms, banned, _id} index, reading only the members', async () => {
      await signUp(t, { birthDate: '1976-10-10' });
      await signUp(t, { birthDate: '1976-10-11' });
      const users = t.app.get<Connection>(getConnectionToken()).collection('users');
      const plan = (await users
        .find({ rooms: 'day-1976-10-10', banned: false })
        .explain('executionStats')) as {
        queryPlanner: { winningPlan: object };
        executionStats: { nReturned: number; totalDocsExamined: number };
      };
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('"IXSCAN"');
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('rooms_1_banned_1__id_1');
      expect(plan.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
    });

    it('needs an access token', async () => {
      expectError(await t.http.get(ROOMS), 401, 'UNAUTHORIZED', 'A valid access token is required');
    });
  });

  describe('GET /rooms/:key', () => {
    it('answers one of the caller’s rooms', async () => {
      const ann = await signUp(t, { birthDate: '1966-02-28' });
      await signUp(t, { birthDate: '1970-02-28' });
      expect(await roomOf(ann, 'date-02-28')).toEqual({
        key: 'date-02-28',
        kind: 'date',
        title: 'Born on 28 February',
        memberCount: 2,
        onlineCount: 0,
        birthdaysToday: [],
      });
      expect(await roomOf(ann, 'day-1966-02-28')).toMatchObject({ memberCount: 1 });
    });

    it('is 403 for a well-formed room the caller is not in', async () => {
      const ann = await signUp(t, { birthDate: '1967-04-04' });
      for (const key of ['day-1967-04-05', 'date-04-05', 'year-1968', 'date-02-29']) {
        expectError(
          await t.http.get(`${ROOMS}/${key}`).set(ann.auth),
          403,
          'FORBIDDEN',
          NOT_A_MEMBER,
        );
      }
    });

    it('lets an admin read any room, members included', async () => {
      const ann = await signUp(t, { birthDate: '1968-08-08' });
      const admin = await signUpAdmin(t, { birthDate: '1980-01-01' });
      expect(await roomOf(admin, 'day-1968-08-08')).toEqual({
        key: 'day-1968-08-08',
        kind: 'day',
        title: 'Born on 8 August 1968',
        memberCount: 1,
        onlineCount: 0,
        birthdaysToday: [],
      });
      expect(await roomOf(admin, 'year-2001')).toMatchObject({ memberCount: 0 });
      expect((await membersOf(admin, 'day-1968-08-08')).items.map((m) => m.id)).toEqual([ann.id]);
    });

    it.each([
      'date-02-30',
      'day-2001-02-29',
      'year-0000',
      'garbage',
      'day-1990-5-17',
      'DATE-05-17',
    ])('is 404 for the malformed key %s, for members and admins alike', async (key) => {
      const ann = await signUp(t, { birthDate: '1969-05-05' });
      const admin = await signUpAdmin(t, { birthDate: '1980-01-01' });
      for (const user of [ann, admin]) {
        expectError(
          await t.http.get(`${ROOMS}/${key}`).set(user.auth),
          404,
          'NOT_FOUND',
          NO_SUCH_ROOM,
        );
        expectError(
          await t.http.get(`${ROOMS}/${key}/members`).set(user.auth),
          404,
          'NOT_FOUND',
          NO_SUCH_ROOM,
        );
      }
    });

    it('accepts the leap-day room date-02-29', async () => {
      const ann = await signUp(t, { birthDate: '1972-02-29' });
      expect(await roomOf(ann, 'date-02-29')).toEqual({
        key: 'date-02-29',
        kind: 'date',
        title: 'Born on 29 February',
        memberCount: 1,
        onlineCount: 0,
        birthdaysToday: [],
      });
    });
  });

  describe('birthday spotlight', () => {
    afterEach(() => {
      t.clock.set(ORDINARY_DAY);
    });

    const ids = (room: RoomBody): string[] => room.birthdaysToday.map((user) => user.id);

    /** Signs up on the eve of the day, so that moving the clock there keeps the session open. */
    async function bornOn(birthDate: string, eve: string): Promise<TestSession> {
      t.clock.set(new Date(`${eve}T12:00:00Z`));
      return signUp(t, { birthDate });
    }

    async function on(time: string, user: TestSession): Promise<TestSession> {
      t.clock.set(new Date(time));
      return refreshSession(user);
    }

    it('lists the members whose birthday it is (UTC) in day and date rooms, never in year rooms', async () => {
      const ann = await bornOn('1959-07-23', '2027-07-22');
      const bob = await signUp(t, { birthDate: '1971-07-23' });
      const cat = await signUp(t, { birthDate: '1959-07-24' });
      const [day, date, year] = await roomsOf(await on('2027-07-23T00:00:00Z', ann));
      expect(ids(day)).toEqual([ann.id]);
      expect(ids(date)).toEqual([bob.id, ann.id]);
      expect(ids(year)).toEqual([]);
      expect(Object.keys(date.birthdaysToday[0]).sort()).toEqual(
        PUBLIC_KEYS.filter((key) => key !== 'online'),
      );
      expect(ids(await roomOf(await on('2027-07-23T00:00:00Z', cat), 'date-07-24'))).toEqual([]);

      const late = await on('2027-07-23T23:59:59Z', ann);
      expect(ids(await roomOf(late, 'day-1959-07-23'))).toEqual([ann.id]);
      expect((await roomsOf(await on('2027-07-24T00:00:00Z', ann))).map(ids)).toEqual([[], [], []]);
      expect(ids(await roomOf(await on('2027-07-24T00:00:00Z', cat), 'date-07-24'))).toEqual([
        cat.id,
      ]);
    });

    it('celebrates 29 February on 28 February in other years, and on the 29th in leap years', async () => {
      // Other members born on 29 February (other tests) may show in the date room too.
      const shows = (rooms: RoomBody[], user: TestSession): boolean[] =>
        rooms.map((room) => ids(room).includes(user.id));
      const leap = await bornOn('1960-02-29', '2027-02-27');
      const feb28 = await roomsOf(await on('2027-02-28T12:00:00Z', leap));
      expect(shows(feb28, leap)).toEqual([true, true, false]);
      expect(ids(feb28[0])).toEqual([leap.id]);
      const again = await bornOn('1960-02-29', '2028-02-27');
      const leapYear28 = await roomsOf(await on('2028-02-28T12:00:00Z', again));
      expect(leapYear28.map(ids)).toEqual([[], [], []]);
      const leapDay = await roomsOf(await on('2028-02-29T12:00:00Z', again));
      expect(shows(leapDay, again)).toEqual([true, true, false]);
      expect(ids(leapDay[0])).toEqual([again.id, leap.id]);
    });

    it('leaves banned members out', async () => {
      const ann = await bornOn('1958-09-09', '2027-09-08');
      const bob = await signUp(t, { birthDate: '1958-09-09' });
      await t.app.get(UsersService).changeByAdmin(bob.id, { banned: true });
      const room = await roomOf(await on('2027-09-09T08:00:00Z', ann), 'day-1958-09-09');
      expect(ids(room)).toEqual([ann.id]);
    });
  });

  describe('GET /rooms/:key/members', () => {
    it('pages public views, newest account first, each offline without a socket', async () => {
      const users: TestSession[] = [];
      for (let i = 0; i < 5; i++)
        users.push(await signUp(t, { birthDate: '1971-07-07', displayName: `Member ${i}` }));
      const newestFirst = users.map((user) => user.id).reverse();

      const first = await membersOf(users[0], 'day-1971-07-07', '?limit=2');
      expect(first.items.map((m) => m.id)).toEqual(newestFirst.slice(0, 2));
      expect(first.nextCursor).toBe(newestFirst[1]);
      for (const member of first.items) {
        expect(Object.keys(member).sort()).toEqual(PUBLIC_KEYS);
      }
      expect(first.items[0]).toEqual({
        id: users[4].id,
        displayName: 'Member 4',
        avatarUrl: expect.stringMatching(AVATAR_URL) as unknown,
        bio: '',
        online: false,
      });

      const second = await membersOf(
        users[0],
        'day-1971-07-07',
        `?limit=2&cursor=${first.nextCursor ?? ''}`,
      );
      expect(second.items.map((m) => m.id)).toEqual(newestFirst.slice(2, 4));
      const last = await membersOf(
        users[0],
        'day-1971-07-07',
        `?limit=2&cursor=${second.nextCursor ?? ''}`,
      );
      expect(last).toEqual({
        items: [expect.objectContaining({ id: newestFirst[4], online: false }) as unknown],
        nextCursor: null,
      });

      const all = await membersOf(users[0], 'day-1971-07-07');
      expect(all.items.map((m) => m.id)).toEqual(newestFirst);
      expect(all.nextCursor).toBeNull();
    });

    it('is 403 for a non-member and 400 for a bad cursor or limit', async () => {
      const ann = await signUp(t, { birthDate: '1973-09-09' });
      expectError(
        await t.http.get(`${ROOMS}/year-1974/members`).set(ann.auth),
        403,
        'FORBIDDEN',
        NOT_A_MEMBER,
      );
      const badLimit = await t.http.get(`${ROOMS}/year-1973/members?limit=0`).set(ann.auth);
      expect(badLimit.status).toBe(400);
      expect((badLimit.body as { error: string }).error).toBe('VALIDATION_FAILED');
      const badCursor = await t.http.get(`${ROOMS}/year-1973/members?cursor=nope`).set(ann.auth);
      expect(badCursor.status).toBe(400);
      expect((badCursor.body as { error: string }).error).toBe('VALIDATION_FAILED');
    });
  });
});
