import { PresenceNotices } from './presence-notices';
import type { PresenceUpdate } from './realtime.events';

const ann = { id: 'a'.repeat(24), displayName: 'Ann', avatarUrl: null, bio: '' };
const bob = { id: 'b'.repeat(24), displayName: 'Bob', avatarUrl: null, bio: '' };

describe('PresenceNotices', () => {
  let sent: PresenceUpdate[];
  let notices: PresenceNotices;

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    notices = new PresenceNotices((update) => sent.push(update), 250);
  });

  afterEach(() => {
    notices.close();
    jest.useRealTimers();
  });

  it('sends the first change of a quiet room at once, naming the person', () => {
    notices.changed({ roomKey: 'year-1990', onlineCount: 1, joined: ann });
    expect(sent).toEqual([{ roomKey: 'year-1990', onlineCount: 1, joined: ann }]);
  });

  it('sends one later change in the window as it was, at the window’s end', () => {
    notices.changed({ roomKey: 'year-1990', onlineCount: 1, joined: ann });
    notices.changed({ roomKey: 'year-1990', onlineCount: 2, joined: bob });
    jest.advanceTimersByTime(249);
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sent[1]).toEqual({ roomKey: 'year-1990', onlineCount: 2, joined: bob });
  });

  it('gathers a storm into one count per window, naming nobody', () => {
    notices.changed({ roomKey: 'year-1990', onlineCount: 1, joined: ann });
    for (let n = 2; n <= 500; n++) notices.changed({ roomKey: 'year-1990', onlineCount: n });
    notices.changed({ roomKey: 'year-1990', onlineCount: 499, left: bob });
    jest.advanceTimersByTime(250);
    expect(sent).toEqual([
      { roomKey: 'year-1990', onlineCount: 1, joined: ann },
      { roomKey: 'year-1990', onlineCount: 499 },
    ]);
    jest.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    notices.changed({ roomKey: 'year-1990', onlineCount: 498, left: ann });
    expect(sent[2]).toEqual({ roomKey: 'year-1990', onlineCount: 498, left: ann });
  });

  it('keeps rooms apart', () => {
    notices.changed({ roomKey: 'year-1990', onlineCount: 1, joined: ann });
    notices.changed({ roomKey: 'date-05-17', onlineCount: 1, joined: ann });
    expect(sent.map((u) => u.roomKey)).toEqual(['year-1990', 'date-05-17']);
  });

  it('after close, drops what was pending and sends later changes at once', () => {
    notices.changed({ roomKey: 'year-1990', onlineCount: 1, joined: ann });
    notices.changed({ roomKey: 'year-1990', onlineCount: 2, joined: bob });
    notices.close();
    jest.advanceTimersByTime(1000);
    notices.changed({ roomKey: 'year-1990', onlineCount: 1, left: bob });
    notices.changed({ roomKey: 'year-1990', onlineCount: 0, left: ann });
    expect(sent.slice(1)).toEqual([
      { roomKey: 'year-1990', onlineCount: 1, left: bob },
      { roomKey: 'year-1990', onlineCount: 0, left: ann },
    ]);
  });
});
