import sharp from 'sharp';
import type { Response } from 'supertest';
import { createTestApp, signUp, type TestApp, type TestSession } from './support';
import { closeAll } from './support/teardown';

describe('avatars: the upload rate limit', () => {
  let t: TestApp;
  let png: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ env: { AVATAR_UPLOAD_RATE_PER_HOUR: '2' } });
    png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#48c' } })
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  function put(user: TestSession, bytes: Buffer): Promise<Response> {
    return t.http
      .put('/api/v1/users/me/avatar')
      .set(user.auth)
      .attach('file', bytes, { filename: 'a.png', contentType: 'image/png' });
  }

  it('counts uploads per user each hour (AVATAR_UPLOAD_RATE_PER_HOUR), refused ones included: then 429', async () => {
    const [user, other] = await Promise.all([signUp(t), signUp(t)]);
    expect((await put(user, png)).status).toBe(200);
    expect((await put(user, Buffer.from('not an image'))).status).toBe(400);
    const refused = await put(user, png);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await put(other, png)).status).toBe(200);
  });
});
