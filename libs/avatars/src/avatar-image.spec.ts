import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { AVATAR_MAX_PIXELS, avatarFromUpload } from './avatar-image';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A whole, valid black PNG of this size (1-bit grey): small however many pixels it declares. */
function blackPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const refusal = (message: string) => ({
  code: 'VALIDATION_FAILED',
  details: [{ field: 'file', message }],
});

describe('avatarFromUpload', () => {
  it('takes 16 megapixels and refuses one row more, from the header', async () => {
    expect(AVATAR_MAX_PIXELS).toBe(16_000_000);
    const taken = await avatarFromUpload(blackPng(4000, 4000));
    expect(await sharp(taken.bytes).metadata()).toMatchObject({ width: 256, height: 256 });
    await expect(avatarFromUpload(blackPng(4000, 4001))).rejects.toMatchObject(
      refusal('must have at most 16 megapixels (it declares 4000×4001)'),
    );
  });

  it('refuses 16 bits per channel before decoding, and takes the same image in 8 bits', async () => {
    const picture = sharp({ create: { width: 64, height: 48, channels: 4, background: '#2a6c' } });
    const deep = await picture
      .clone()
      .toColourspace('rgb16')
      .png()
      .withExif({ IFD0: { Orientation: '6' } })
      .toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    await expect(avatarFromUpload(deep)).rejects.toMatchObject(
      refusal('must have 8 bits per channel, not 16'),
    );
    const grey16 = await picture.clone().toColourspace('grey16').png().toBuffer();
    await expect(avatarFromUpload(grey16)).rejects.toMatchObject(
      refusal('must have 8 bits per channel, not 16'),
    );
    const shallow = await picture.clone().png().toBuffer();
    const taken = await avatarFromUpload(shallow);
    expect(await sharp(taken.bytes).metadata()).toMatchObject({ width: 256, height: 256 });
  });
});
