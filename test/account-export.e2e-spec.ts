import {
  createTestApp,
  expectError,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { closeAll } from './support/teardown';

const EXPORT = '/api/v1/users/me/export';

interface Exported {
  exportedAt: string;
  profile: { id: string; email: string; tokens: number };
  invitedBy: { id: string } | null;
  sessions: Record<string, unknown>[];
  ledger: { id: string }[];
  invites: { code: string }[];
  capsules: { id: string }[];
  messages: { id: string; text: string }[];
  reports: { id: string; messageId: string; reason: string }[];
  couponsRedeemed: { couponId: string }[];
  sponsorsShown: { sponsorId: string; roomKey: string; clickedAt: string | null }[];
}

describe('GET /users/me/export: all of the caller’s data, and nobody else’s', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  /** A member with a bit of everything: messages, a capsule, an invite, a report, two sessions. */
  async function busyMember(
    birthDate: string,
    tag: string,
  ): Promise<{ user: TestSession; messages: string[]; capsule: string; invite: string }> {
    const user = await signUp(t, { birthDate, displayName: `Busy ${tag}` });
    const messages: string[] = [];
    for (const text of [`${tag} first words`, `${tag} second words`]) {
      const res = await user.agent.post(`/api/v1/rooms/day-${birthDate}/messages`).send({ text });
      expect(res.status).toBe(201);
      messages.push((res.body as { id: string }).id);
    }
    const deliverAt = new Date(t.clock.now().getTime() + 3 * 3_600_000).toISOString();
    const capsule = await user.agent
      .post('/api/v1/capsules')
      .send({ message: `${tag} dear future me`, deliverAt });
    expect(capsule.status).toBe(201);
    const invite = await user.agent.post('/api/v1/invites').send();
    expect(invite.status).toBe(201);
    const login = await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', `${tag}-browser`)
      .send({ email: user.email, password: user.password });
    expect(login.status).toBe(200);
    return {
      user,
      messages,
      capsule: (capsule.body as { id: string }).id,
      invite: (invite.body as { code: string }).code,
    };
  }

  it('holds the profile, sessions, every ledger entry, invites, capsules, stored messages and reports filed', async () => {
    const birthDate = '1984-10-11';
    const ann = await busyMember(birthDate, 'ann');
    const bob = await busyMember(birthDate, 'bob');
    const report = await ann.user.agent
      .post(`/api/v1/messages/${bob.messages[0]}/report`)
      .send({ reason: 'ann reports bob' });
    expect(report.status).toBe(201);
    const bobsReport = await bob.user.agent
      .post(`/api/v1/messages/${ann.messages[0]}/report`)
      .send({ reason: 'bob reports ann' });
    expect(bobsReport.status).toBe(201);

    // A coupon redeemed and a sponsor shown (then clicked), by ann only.
    const admin = await signUpAdmin(t, { birthDate: '1970-01-01' });
    const coupon = await admin.agent
      .post('/api/v1/admin/coupons')
      .send({ code: 'EXPORTCODE1', amount: 5, maxRedemptions: 10 });
    expect(coupon.status).toBe(201);
    expect(
      (await ann.user.agent.post('/api/v1/tokens/redeem').send({ code: 'EXPORTCODE1' })).status,
    ).toBe(200);
    const hour = 3_600_000;
    const sponsor = await admin.agent.post('/api/v1/admin/sponsors').send({
      name: 'Cake & Co.',
      text: 'Cake for the whole room',
      linkUrl: 'https://example.com/cake',
      startsAt: new Date(t.clock.now().getTime() - hour).toISOString(),
      endsAt: new Date(t.clock.now().getTime() + hour).toISOString(),
    });
    expect(sponsor.status).toBe(201);
    const sponsorId = (sponsor.body as { id: string }).id;
    const shown = await ann.user.agent.get(`/api/v1/rooms/day-${birthDate}/sponsor`);
    expect(shown.status).toBe(200);
    expect((await ann.user.agent.post(`/api/v1/sponsors/${sponsorId}/click`).send()).status).toBe(
      204,
    );

    const res = await ann.user.agent.get(EXPORT);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="dobkonektor-export-${ann.user.id}.json"`,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const data = res.body as Exported;

    const me = await ann.user.agent.get('/api/v1/auth/me');
    expect(data.profile).toEqual(me.body);
    expect(data.profile.tokens).toBe(100 - 2 - 10 + 5);
    expect(data.couponsRedeemed).toEqual([
      expect.objectContaining({ couponId: (coupon.body as { id: string }).id }),
    ]);
    expect(data.sponsorsShown).toEqual([
      expect.objectContaining({
        sponsorId,
        roomKey: `day-${birthDate}`,
        clickedAt: expect.any(String) as unknown,
      }),
    ]);
    // Every entry, equal to the ledger route's.
    const ledger = await ann.user.agent.get('/api/v1/tokens/ledger?limit=100');
    expect(data.ledger).toEqual((ledger.body as { items: unknown[] }).items);
    expect(data.ledger.map((e) => (e as { reason?: string }).reason)).toEqual([
      'coupon',
      'capsule',
      'message',
      'message',
      'signup',
    ]);

    expect(data.sessions).toHaveLength(2);
    expect(data.sessions.filter((s) => s.current === true)).toHaveLength(1);
    expect(data.sessions.map((s) => s.userAgent)).toContain('ann-browser');
    for (const session of data.sessions) {
      expect(Object.keys(session).sort()).toEqual([
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'lastUsedAt',
        'revokedAt',
        'revokedReason',
        'userAgent',
      ]);
    }

    expect(data.invites.map((i) => i.code)).toEqual([ann.invite]);
    expect(data.capsules.map((c) => c.id)).toEqual([ann.capsule]);
    expect(data.messages.map((m) => m.id)).toEqual(ann.messages);
    expect(data.reports).toEqual([
      expect.objectContaining({ messageId: bob.messages[0], reason: 'ann reports bob' }),
    ]);
    if (data.invitedBy !== null) expect(data.invitedBy.id).not.toBe(ann.user.id);

    // Nothing of anyone else's: bob's email, texts, capsule, code and report are absent.
    const text = JSON.stringify(data);
    for (const foreign of [
      bob.user.email,
      'bob first words',
      bob.capsule,
      bob.invite,
      'bob reports ann',
    ]) {
      expect(text).not.toContain(foreign);
    }
    expect(text).not.toMatch(/refreshHash|rotatedHashes|passwordHash/);
  });

  it('keeps messages past their 24 hours while storage still has them', async () => {
    const user = await signUp(t, { birthDate: '1984-10-12' });
    const posted = await user.agent
      .post('/api/v1/rooms/day-1984-10-12/messages')
      .send({ text: 'an old one' });
    t.clock.advance(25 * 3_600_000);
    try {
      const fresh = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: user.password });
      const res = await t.http
        .get(EXPORT)
        .set('Authorization', `Bearer ${(fresh.body as { accessToken: string }).accessToken}`);
      expect((res.body as Exported).messages.map((m) => m.id)).toEqual([
        (posted.body as { id: string }).id,
      ]);
    } finally {
      t.clock.advance(-25 * 3_600_000);
    }
  });

  it('is for signed-in users only, and limited to 10 an hour', async () => {
    expectError(await t.http.get(EXPORT), 401, 'UNAUTHORIZED', 'A valid access token is required');
    const user = await signUp(t, { birthDate: '1984-10-13' });
    for (let i = 0; i < 10; i++) expect((await user.agent.get(EXPORT)).status).toBe(200);
    const refused = await user.agent.get(EXPORT);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
