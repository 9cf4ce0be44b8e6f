import sharp from 'sharp';
import { containerProblem, sniffFormat } from './image-format';

const pixel = sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } });

describe('image formats judged by their bytes', () => {
  let png: Buffer;
  let jpeg: Buffer;
  let webp: Buffer;

  beforeAll(async () => {
    [png, jpeg, webp] = await Promise.all([
      pixel.clone().png().toBuffer(),
      pixel.clone().jpeg().toBuffer(),
      pixel.clone().webp().toBuffer(),
    ]);
  });

  it('recognises PNG, JPEG and WebP by their magic numbers only', async () => {
    expect([sniffFormat(png), sniffFormat(jpeg), sniffFormat(webp)]).toEqual([
      'png',
      'jpeg',
      'webp',
    ]);
    const gif = await pixel.clone().gif().toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    for (const other of [gif, svg, Buffer.from('hello'), Buffer.alloc(0), png.subarray(0, 7)]) {
      expect(sniffFormat(other)).toBeNull();
    }
  });

  it('accepts whole files', () => {
    expect(containerProblem(png, 'png')).toBeNull();
    expect(containerProblem(jpeg, 'jpeg')).toBeNull();
    expect(containerProblem(webp, 'webp')).toBeNull();
  });

  it('refuses truncated files', () => {
    for (const cut of [png.length - 1, Math.floor(png.length / 2), 12]) {
      expect(containerProblem(png.subarray(0, cut), 'png')).toBe('is truncated');
    }
    expect(containerProblem(jpeg.subarray(0, jpeg.length / 2), 'jpeg')).toBe('is truncated');
    expect(containerProblem(webp.subarray(0, webp.length - 4), 'webp')).toBe('is truncated');
  });

  it('refuses polyglots: data appended after the image', () => {
    const zip = Buffer.from('PK\u0003\u0004 a zip archive follows');
    expect(containerProblem(Buffer.concat([png, zip]), 'png')).toBe(
      'has data after the end of the image',
    );
    expect(containerProblem(Buffer.concat([jpeg, zip]), 'jpeg')).toBe(
      'has data after the end of the image',
    );
    expect(containerProblem(Buffer.concat([webp, zip]), 'webp')).toBe(
      'has data after the end of the image',
    );
  });

  it('refuses a PNG that does not start with its header chunk', () => {
    const broken = Buffer.from(png);
    broken.write('abcd', 12, 'latin1');
    expect(containerProblem(broken, 'png')).toBe('does not start with a PNG header');
  });
});
