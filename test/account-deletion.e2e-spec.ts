import { getConnectionToken } from '@nestjs/mongoose';
import { type Connection, Types } from 'mongoose';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  createTestApp,
  expectError,
  signUp,
  signUpAdmin,
  type TestApp,
  type TestSession,
} from './support';
import { connectSocket, disconnection, socketsClosable, type TestSocket } from './support/sockets';
import { closeAll } from './support/teardown';

const ME = '/api/v1/users/me';

/** Every string anywhere in a document, keys excluded. */
function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const item of Object.values(value as Record<string, unknown>)) stringsIn(item, into);
  }
  return into;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('DELETE /users/me: the account and its personal data go, the rest stays consistent', () => {
  let t: TestApp;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await closeAll(socketsClosable(sockets), t);
  });

  const remove = (user: TestSession, password: string) => user.agent.delete(ME).send({ password });

  it('erases every trace of the email, name and birth date; ends sockets; invitees stay; the email may sign up again', async () => {
    const birthDate = '1963-11-29';
    const displayName = 'Quentin Vanishing-Zebra';
    const admin = await signUpAdmin(t, { birthDate: '1970-01-01' });
    const ann = await signUp(t, { birthDate, displayName });
    // Bob shares her date room, not her birth date (which must be nowhere after).
    const bob = await signUp(t, { birthDate: '1975-11-29' });
    const room = 'date-11-29';

    // Ann's traces: messages, a capsule, an uploaded avatar, an invite used by cat, reports both
    // ways, a pending reset link, an admin's change of her (audited before and after).
    const posted = await ann.agent.post(`/api/v1/rooms/${room}/messages`).send({ text: 'hello' });
    expect(posted.status).toBe(201);
    const annsMessage = (posted.body as { id: string }).id;
    const bobs = await bob.agent.post(`/api/v1/rooms/${room}/messages`).send({ text: 'hi ann' });
    const capsule = await ann.agent.post('/api/v1/capsules').send({
      message: `${displayName} wrote this`,
      deliverAt: new Date(t.clock.now().getTime() + 7_200_000).toISOString(),
    });
    expect(capsule.status).toBe(201);
    const png = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#336699' },
    })
      .png()
      .toBuffer();
    const upload = await ann.agent
      .put(`${ME}/avatar`)
      .attach('file', png, { filename: 'a.png', contentType: 'image/png' });
    expect(upload.status).toBe(200);
    const uploads = t.config.get('UPLOADS_DIR');
    expect((await filesUnder(uploads)).some((file) => file.includes(ann.id))).toBe(true);
    const invite = await ann.agent.post('/api/v1/invites').send();
    const code = (invite.body as { code: string }).code;
    const cat = await signUp(t, { inviteCode: code, birthDate: '1991-01-01' });
    await ann.agent.post('/api/v1/invites').send(); // unused: revoked with the account
    expect(
      (
        await ann.agent
          .post(`/api/v1/messages/${(bobs.body as { id: string }).id}/report`)
          .send({ reason: 'just testing' })
      ).status,
    ).toBe(201);
    expect(
      (await bob.agent.post(`/api/v1/messages/${annsMessage}/report`).send({ reason: 'rude' }))
        .status,
    ).toBe(201);
    expect(
      (await t.http.post('/api/v1/auth/password/forgot').send({ email: ann.email })).status,
    ).toBe(202);
    expect(
      (await admin.agent.patch(`/api/v1/admin/users/${ann.id}`).send({ birthDate: '1963-11-30' }))
        .status,
    ).toBe(200);
    const socket = await connectSocket(t.baseUrl, ann.accessToken);
    sockets.push(socket);
    const gone = disconnection(socket);

    expectError(
      await remove(ann, 'not my password'),
      400,
      'VALIDATION_FAILED',
      'Validation failed',
      [{ field: 'password', message: 'is not your password' }],
    );
    expect((await ann.agent.get('/api/v1/auth/me')).status).toBe(200);

    expect((await remove(ann, ann.password)).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await ann.agent.get('/api/v1/auth/me')).status).toBe(401);
    expect(
      (await t.http.post('/api/v1/auth/login').send({ email: ann.email, password: ann.password }))
        .status,
    ).toBe(401);

    // No document anywhere holds her email, name or either birth date.
    const db = t.app.get<Connection>(getConnectionToken()).db;
    if (!db) throw new Error('no database');
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find().toArray()) {
        const leaks = stringsIn(doc).filter(
          (value) =>
            value.includes(ann.email) ||
            value.includes(displayName) ||
            value === birthDate ||
            value === '1963-11-30',
        );
        expect({ collection: name, leaks }).toEqual({ collection: name, leaks: [] });
      }
    }
    expect((await filesUnder(uploads)).some((file) => file.includes(ann.id))).toBe(false);

    // What others hold stays, consistent: bob's message, his report (text kept, author deleted),
    // the ledger entries (opaque id), cat's account, the used code.
    const page = await bob.agent.get(`/api/v1/rooms/${room}/messages`);
    expect((page.body as { items: { id: string }[] }).items.map((m) => m.id)).toEqual([
      (bobs.body as { id: string }).id,
    ]);
    const reports = await admin.agent.get('/api/v1/admin/reports?status=open');
    const aboutAnn = (
      reports.body as {
        items: { messageId: string; evidence: { text: string; author: { displayName: string } } }[];
      }
    ).items.find((r) => r.messageId === annsMessage);
    expect(aboutAnn?.evidence).toMatchObject({
      text: 'hello',
      author: { displayName: 'Deleted user' },
    });
    expect(
      await db.collection('ledger').countDocuments({ userId: new Types.ObjectId(ann.id) }),
    ).toBeGreaterThan(0);
    expect((await cat.agent.get('/api/v1/auth/me')).status).toBe(200);
    expect(
      ((await cat.agent.get(`${ME}/export`)).body as { invitedBy: unknown }).invitedBy,
    ).toBeNull();
    expect((await t.http.get(`/api/v1/invites/${code}/check`)).body).toEqual({ valid: false });

    // The email is free again, with a new invite.
    const again = await signUp(t, { email: ann.email, birthDate: '1980-03-03' });
    expect(again.id).not.toBe(ann.id);
  });

  it('refuses the last admin (409) and keeps the account', async () => {
    const db = t.app.get<Connection>(getConnectionToken()).db;
    if (!db) throw new Error('no database');
    // The first test's admin is the only one so far.
    await db.collection('users').updateMany({ role: 'admin' }, { $set: { role: 'user' } });
    const admin = await signUpAdmin(t, { birthDate: '1970-02-02' });
    expectError(
      await remove(admin, admin.password),
      409,
      'CONFLICT',
      'The last admin cannot delete their account',
      [{ field: 'password', message: 'would leave no admin: make another admin first' }],
    );
    expect((await admin.agent.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('needs a signed-in user and a password', async () => {
    expectError(
      await t.http.delete(ME).send({ password: 'x' }),
      401,
      'UNAUTHORIZED',
      'A valid access token is required',
    );
    const user = await signUp(t);
    const missing = await user.agent.delete(ME).send({});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [{ field: 'password' }],
    });
  });
});
