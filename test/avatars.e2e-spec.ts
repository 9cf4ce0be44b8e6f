import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { Response } from 'supertest';
import { UsersService } from '@app/users';
import { createTestApp, expectError, signUp, type TestApp, type TestSession } from './support';
import { closeAll } from './support/teardown';

const AVATAR = '/api/v1/users/me/avatar';
const MAX_BYTES = 2 * 1024 * 1024;
const AVATAR_URL = /^\/api\/v1\/avatars\/([0-9a-f]{24})\?v=([0-9a-f]{16})$/;
const NOT_ACCEPTED = 'The avatar image is not accepted';

interface Upload {
  bytes: Buffer;
  filename?: string;
  contentType?: string;
  field?: string;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A whole, valid PNG of 20000×20000 black pixels (1-bit grey) in about 50 KB: 400 megapixels
 * once decoded, a decompression bomb.
 */
function pngBomb(side = 20_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc((1 + Math.ceil(side / 8)) * side);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function picture(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#2a6' } }).composite([
    {
      input: { create: { width: 40, height: 40, channels: 3, background: '#d22' } },
      top: 10,
      left: 10,
    },
  ]);
}

describe('avatars: generated, uploaded, served with ETags', () => {
  let t: TestApp;
  let png: Buffer;
  let jpegWithExif: Buffer;
  let webp: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ env: { AVATAR_UPLOAD_RATE_PER_HOUR: '1000' } });
    [png, jpegWithExif, webp] = await Promise.all([
      picture(600, 400).png().toBuffer(),
      picture(640, 480)
        .jpeg()
        .withExif({
          IFD0: { Make: 'SecretCam', Copyright: 'Private Person' },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
        })
        .toBuffer(),
      picture(300, 300).webp().toBuffer(),
    ]);
  });

  afterAll(async () => {
    await closeAll(t);
  });

  function upload(user: TestSession, file: Upload): Promise<Response> {
    return t.http
      .put(AVATAR)
      .set(user.auth)
      .attach(file.field ?? 'file', file.bytes, {
        filename: file.filename ?? 'avatar.png',
        contentType: file.contentType ?? 'image/png',
      });
  }

  async function fetchAvatar(userId: string, headers: Record<string, string> = {}) {
    const res = await t.http
      .get(`/api/v1/avatars/${userId}`)
      .set(headers)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          callback(null, Buffer.concat(chunks));
        });
      });
    return { res, bytes: res.body as Buffer };
  }

  async function avatarUrlOf(user: TestSession): Promise<string> {
    const res = await t.http.get(`/api/v1/users/${user.id}`).set(user.auth);
    expect(res.status).toBe(200);
    return (res.body as { avatarUrl: string }).avatarUrl;
  }

  async function expectSquareWebp(bytes: Buffer): Promise<Metadata> {
    const metadata = await sharp(bytes).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
    return metadata;
  }

  describe('the generated avatar', () => {
    it('every user has one from signup on: a 256×256 WebP, the same bytes on every request, their own', async () => {
      const [ada, bob] = await Promise.all([
        signUp(t, { displayName: 'Ada Lovelace' }),
        signUp(t, { displayName: 'Ada Lovelace' }),
      ]);
      const first = await fetchAvatar(ada.id);
      expect(first.res.status).toBe(200);
      expect(first.res.headers['content-type']).toBe('image/webp');
      await expectSquareWebp(first.bytes);
      const again = await fetchAvatar(ada.id);
      expect(again.bytes.equals(first.bytes)).toBe(true);
      expect(again.res.headers.etag).toBe(first.res.headers.etag);
      const other = await fetchAvatar(bob.id);
      expect(other.bytes.equals(first.bytes)).toBe(false);
    });

    it('changes with the initials of the display name, and with them the avatarUrl version', async () => {
      const user = await signUp(t, { displayName: 'Ada Lovelace' });
      const [url, { bytes }] = [await avatarUrlOf(user), await fetchAvatar(user.id)];
      await t.http.patch('/api/v1/users/me').set(user.auth).send({ displayName: 'Ada Lamb' });
      expect(await avatarUrlOf(user)).toBe(url);
      expect((await fetchAvatar(user.id)).bytes.equals(bytes)).toBe(true);
      await t.http.patch('/api/v1/users/me').set(user.auth).send({ displayName: 'Bea Lamb' });
      expect(await avatarUrlOf(user)).not.toBe(url);
      expect((await fetchAvatar(user.id)).bytes.equals(bytes)).toBe(false);
    });
  });

  describe('GET /avatars/:userId', () => {
    it('needs no auth and answers a strong ETag of the bytes, nosniff, and Cache-Control by version', async () => {
      const user = await signUp(t);
      const [, id, version] = AVATAR_URL.exec(await avatarUrlOf(user)) ?? [];
      expect(id).toBe(user.id);
      const plain = await fetchAvatar(user.id);
      expect(plain.res.headers).toMatchObject({
        etag: `"${sha256(plain.bytes)}"`,
        'content-type': 'image/webp',
        'content-length': String(plain.bytes.length),
        'x-content-type-options': 'nosniff',
        'cache-control': 'public, max-age=300',
        'cross-origin-resource-policy': 'cross-origin',
      });
      const res = await t.http.get(`/api/v1/avatars/${user.id}?v=${version}`);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const stale = await t.http.get(`/api/v1/avatars/${user.id}?v=0000000000000000`);
      expect(stale.headers['cache-control']).toBe('public, max-age=300');
    });

    it('answers 304 without a body when If-None-Match names the ETag, 200 otherwise', async () => {
      const user = await signUp(t);
      const { res } = await fetchAvatar(user.id);
      const etag = res.headers.etag;
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const cached = await t.http.get(`/api/v1/avatars/${user.id}`).set('If-None-Match', header);
        expect(cached.status).toBe(304);
        expect(cached.headers.etag).toBe(etag);
        expect(cached.text).toBeFalsy();
      }
      const changed = await fetchAvatar(user.id, { 'If-None-Match': '"something-else"' });
      expect(changed.res.status).toBe(200);
    });

    it("answers 304 for an upload from the user's stored hash, without reading the file", async () => {
      const user = await signUp(t);
      expect((await upload(user, { bytes: png })).status).toBe(200);
      const served = await fetchAvatar(user.id);
      const etag = served.res.headers.etag;
      expect(etag).toBe(`"${sha256(served.bytes)}"`);
      // The file goes away behind the app's back: only a read of storage could notice.
      await rm(join(t.config.get('UPLOADS_DIR'), 'avatars', user.id), { recursive: true });
      const cached = await t.http.get(`/api/v1/avatars/${user.id}`).set('If-None-Match', etag);
      expect(cached.status).toBe(304);
      expect(cached.headers.etag).toBe(etag);
      expect(t.logs.text()).not.toContain('Uploaded avatar file is missing');
    });

    it('answers 404 for an unknown user and 400 for a malformed id or version', async () => {
      expectError(
        await t.http.get('/api/v1/avatars/0123456789abcdef01234567'),
        404,
        'NOT_FOUND',
        'No such user',
      );
      const bad = await t.http.get('/api/v1/avatars/nope');
      expect(bad.status).toBe(400);
      const user = await signUp(t);
      expect((await t.http.get(`/api/v1/avatars/${user.id}?v=XYZ`)).status).toBe(400);
      expect((await t.http.get(`/api/v1/avatars/${user.id}?size=64`)).status).toBe(400);
    });

    it('shows a banned user their generated avatar, not their upload', async () => {
      const user = await signUp(t);
      const generated = (await fetchAvatar(user.id)).bytes;
      expect((await upload(user, { bytes: png })).status).toBe(200);
      await t.app.get(UsersService).updateByAdmin(user.id, { banned: true });
      expect((await fetchAvatar(user.id)).bytes.equals(generated)).toBe(true);
      await t.app.get(UsersService).updateByAdmin(user.id, { banned: false });
      expect((await fetchAvatar(user.id)).bytes.equals(generated)).toBe(false);
    });
  });

  describe('PUT /users/me/avatar', () => {
    it.each([
      ['PNG', () => png, 'image/png'],
      ['JPEG', () => jpegWithExif, 'image/jpeg'],
      ['WebP', () => webp, 'image/webp'],
    ])(
      'takes a %s and serves it as a 256×256 WebP without metadata',
      async (_name, bytes, type) => {
        const user = await signUp(t);
        const before = await avatarUrlOf(user);
        const res = await upload(user, { bytes: bytes(), contentType: type });
        expect(res.status).toBe(200);
        const view = res.body as { id: string; avatarUrl: string; email: string };
        expect(view).toMatchObject({ id: user.id, email: user.email });
        expect(view.avatarUrl).toMatch(AVATAR_URL);
        expect(view.avatarUrl).not.toBe(before);
        expect(await avatarUrlOf(user)).toBe(view.avatarUrl);
        const served = await fetchAvatar(user.id);
        const metadata = await expectSquareWebp(served.bytes);
        expect(metadata.exif).toBeUndefined();
        expect(metadata.icc).toBeUndefined();
        expect(metadata.xmp).toBeUndefined();
        expect(served.bytes.includes('SecretCam')).toBe(false);
        const [, , version] = AVATAR_URL.exec(view.avatarUrl) ?? [];
        expect(sha256(served.bytes).startsWith(version)).toBe(true);
      },
    );

    it('judges by the bytes: a PNG named avatar.gif with a text/plain type is taken', async () => {
      const user = await signUp(t);
      const res = await upload(user, {
        bytes: png,
        filename: 'avatar.gif',
        contentType: 'text/plain',
      });
      expect(res.status).toBe(200);
    });

    it('stores one file per user: a new upload replaces the old file, DELETE removes it', async () => {
      const user = await signUp(t);
      const dir = join(t.config.get('UPLOADS_DIR'), 'avatars', user.id);
      await upload(user, { bytes: png });
      await upload(user, { bytes: webp, contentType: 'image/webp' });
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toBe(`${sha256((await fetchAvatar(user.id)).bytes)}.webp`);
      expect((await t.http.delete(AVATAR).set(user.auth)).status).toBe(204);
      expect(await readdir(dir)).toEqual([]);
    });

    describe("one user's parallel changes never leave them pointing at a deleted file", () => {
      /** The avatar the user points at is served from its file: its bytes, no fallback. */
      async function expectConsistent(user: TestSession, generated: Buffer): Promise<string> {
        const [, , version] = AVATAR_URL.exec(await avatarUrlOf(user)) ?? [];
        const served = await fetchAvatar(user.id);
        expect(served.res.status).toBe(200);
        const files = await readdir(join(t.config.get('UPLOADS_DIR'), 'avatars', user.id));
        if (served.bytes.equals(generated)) {
          expect(files).toEqual([]);
          return 'generated';
        }
        expect(sha256(served.bytes).startsWith(version)).toBe(true);
        expect(files).toEqual([`${sha256(served.bytes)}.webp`]);
        return sha256(served.bytes);
      }

      it('upload A, then A again and B at once, several times: the one shown is stored', async () => {
        const user = await signUp(t);
        const generated = (await fetchAvatar(user.id)).bytes;
        for (let round = 0; round < 4; round++) {
          expect((await upload(user, { bytes: png })).status).toBe(200);
          const answers = await Promise.all([
            upload(user, { bytes: webp, contentType: 'image/webp' }),
            upload(user, { bytes: png }),
          ]);
          expect(answers.map((res) => res.status)).toEqual([200, 200]);
          expect(await expectConsistent(user, generated)).not.toBe('generated');
        }
        expect(t.logs.text()).not.toContain('Uploaded avatar file is missing');
      });

      it('upload A, then A again and DELETE at once, several times: what is shown is there', async () => {
        const user = await signUp(t);
        const generated = (await fetchAvatar(user.id)).bytes;
        for (let round = 0; round < 4; round++) {
          expect((await upload(user, { bytes: png })).status).toBe(200);
          const answers = await Promise.all([
            upload(user, { bytes: png }),
            t.http.delete(AVATAR).set(user.auth),
          ]);
          expect(answers.map((res) => res.status)).toEqual([200, 204]);
          await expectConsistent(user, generated);
        }
        expect(t.logs.text()).not.toContain('Uploaded avatar file is missing');
      });
    });

    describe('refuses, and the previous avatar stays', () => {
      let user: TestSession;
      let current: Buffer;

      beforeAll(async () => {
        user = await signUp(t);
        expect((await upload(user, { bytes: png })).status).toBe(200);
        current = (await fetchAvatar(user.id)).bytes;
      });

      afterEach(async () => {
        expect((await fetchAvatar(user.id)).bytes.equals(current)).toBe(true);
      });

      function refused(res: Response, message: string): void {
        expectError(res, 400, 'VALIDATION_FAILED', NOT_ACCEPTED, [{ field: 'file', message }]);
      }

      it('a file over 2 MB: 413 PAYLOAD_TOO_LARGE, read no further than the limit', async () => {
        const big = Buffer.concat([png, Buffer.alloc(MAX_BYTES + 1 - png.length, 1)]);
        expectError(
          await upload(user, { bytes: big }),
          413,
          'PAYLOAD_TOO_LARGE',
          'The avatar file is too large',
          [{ field: 'file', message: `must be at most ${MAX_BYTES} bytes (2 MB)` }],
        );
      });

      it('a GIF, an SVG, a text file named .png, an empty file', async () => {
        const gif = await picture(64, 64).gif().toBuffer();
        const svg = Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>',
        );
        const wrong = 'must be a PNG, JPEG or WebP image';
        refused(
          await upload(user, { bytes: gif, filename: 'a.gif', contentType: 'image/gif' }),
          wrong,
        );
        refused(
          await upload(user, { bytes: svg, filename: 'a.svg', contentType: 'image/svg+xml' }),
          wrong,
        );
        refused(
          await upload(user, { bytes: svg, filename: 'a.png', contentType: 'image/png' }),
          wrong,
        );
        refused(await upload(user, { bytes: Buffer.from('just text\n') }), wrong);
        refused(await upload(user, { bytes: Buffer.alloc(0) }), 'must not be empty');
      });

      it('truncated files: a PNG, a JPEG and a WebP cut in half', async () => {
        const half = (bytes: Buffer): Buffer => bytes.subarray(0, Math.floor(bytes.length / 2));
        refused(await upload(user, { bytes: half(png) }), 'is truncated: not a whole PNG file');
        refused(
          await upload(user, { bytes: half(jpegWithExif), contentType: 'image/jpeg' }),
          'is truncated: not a whole JPEG file',
        );
        refused(
          await upload(user, { bytes: half(webp), contentType: 'image/webp' }),
          'is truncated: not a whole WebP file',
        );
      });

      it('polyglots: an image with another file appended', async () => {
        const zip = Buffer.from('PK\u0003\u0004<?php echo 1; ?>');
        refused(
          await upload(user, { bytes: Buffer.concat([png, zip]) }),
          'has data after the end of the image: not a whole PNG file',
        );
        refused(
          await upload(user, { bytes: Buffer.concat([jpegWithExif, zip]) }),
          'has data after the end of the image: not a whole JPEG file',
        );
      });

      it('a decompression bomb: a 50 KB PNG of 20000×20000 pixels, refused from its header', async () => {
        const bomb = pngBomb();
        expect(bomb.length).toBeLessThan(100_000);
        const started = Date.now();
        refused(
          await upload(user, { bytes: bomb }),
          'must have at most 16 megapixels (it declares 20000×20000)',
        );
        expect(Date.now() - started).toBeLessThan(5000);
      });

      it('16 bits per channel (a turned 16-bit RGBA PNG): refused before decoding', async () => {
        const deep = await picture(600, 400)
          .ensureAlpha()
          .toColourspace('rgb16')
          .png()
          .withExif({ IFD0: { Orientation: '6' } })
          .toBuffer();
        refused(await upload(user, { bytes: deep }), 'must have 8 bits per channel, not 16');
      });

      it('an image whose pixel data is corrupt', async () => {
        const corrupt = Buffer.from(png);
        const idat = corrupt.indexOf('IDAT', 0, 'latin1');
        corrupt.fill(0x55, idat + 10, idat + 60);
        refused(await upload(user, { bytes: corrupt }), 'could not be decoded as a PNG image');
      });

      it('a body that is not multipart: 415', async () => {
        expectError(
          await t.http.put(AVATAR).set(user.auth).send({ file: 'x' }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'The body must be multipart/form-data with one field, file',
        );
      });

      it('multipart bodies without the file field, or with other fields', async () => {
        expectError(
          await upload(user, { bytes: png, field: 'image' }),
          400,
          'VALIDATION_FAILED',
          'The multipart body must hold one field, file',
          [{ field: 'image', message: 'is not allowed: the body has one field, file' }],
        );
        const withField = await t.http
          .put(AVATAR)
          .set(user.auth)
          .field('$where', '1')
          .attach('file', png, { filename: 'a.png', contentType: 'image/png' });
        expectError(
          withField,
          400,
          'VALIDATION_FAILED',
          'The multipart body must hold one field, file',
          [{ field: '$where', message: 'is not allowed: the body has one field, file' }],
        );
        const none = await t.http.put(AVATAR).set(user.auth).field('note', 'hello');
        expect(none.status).toBe(400);
        const empty = await t.http
          .put(AVATAR)
          .set(user.auth)
          .set('Content-Type', 'multipart/form-data; boundary=xyz')
          .send('--xyz--\r\n');
        expectError(empty, 400, 'VALIDATION_FAILED', 'Validation failed', [
          { field: 'file', message: 'is required' },
        ]);
      });

      it('a malformed multipart body: 400, never 500', async () => {
        const res = await t.http
          .put(AVATAR)
          .set(user.auth)
          .set('Content-Type', 'multipart/form-data; boundary=xyz')
          .send(
            '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
          );
        expectError(res, 400, 'BAD_REQUEST', 'The multipart body is malformed or incomplete');
      });

      it('without an access token: 401', async () => {
        const res = await t.http
          .put(AVATAR)
          .attach('file', png, { filename: 'a.png', contentType: 'image/png' });
        expect(res.status).toBe(401);
      });
    });
  });

  describe('DELETE /users/me/avatar', () => {
    it('returns the user to the generated avatar (204) and its URL', async () => {
      const user = await signUp(t);
      const [url, generated] = [await avatarUrlOf(user), (await fetchAvatar(user.id)).bytes];
      await upload(user, { bytes: webp, contentType: 'image/webp' });
      expect(await avatarUrlOf(user)).not.toBe(url);
      const res = await t.http.delete(AVATAR).set(user.auth);
      expect(res.status).toBe(204);
      expect(await avatarUrlOf(user)).toBe(url);
      expect((await fetchAvatar(user.id)).bytes.equals(generated)).toBe(true);
      expect((await t.http.delete(AVATAR).set(user.auth)).status).toBe(204);
    });
  });

  describe('avatarUrl in public views', () => {
    it('points at GET /avatars/:userId with the version, in the user, private, member and author views', async () => {
      const user = await signUp(t, { birthDate: '1991-03-04' });
      await upload(user, { bytes: png });
      const url = await avatarUrlOf(user);
      expect(url).toMatch(AVATAR_URL);
      expect(url.startsWith(`/api/v1/avatars/${user.id}?v=`)).toBe(true);
      const me = await t.http.get('/api/v1/auth/me').set(user.auth);
      expect((me.body as { avatarUrl: string }).avatarUrl).toBe(url);
      const members = await t.http.get('/api/v1/rooms/day-1991-03-04/members').set(user.auth);
      const items = (members.body as { items: { id: string; avatarUrl: string }[] }).items;
      expect(items.find((member) => member.id === user.id)?.avatarUrl).toBe(url);
      const posted = await user.agent
        .post('/api/v1/rooms/day-1991-03-04/messages')
        .send({ text: 'My new face' });
      expect((posted.body as { author: { avatarUrl: string } }).author.avatarUrl).toBe(url);
      const followed = await t.http.get(url);
      expect(followed.status).toBe(200);
      expect(followed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });
  });
});
