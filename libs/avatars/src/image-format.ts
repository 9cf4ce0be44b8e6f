/** The upload formats accepted, as recognised by their bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const FORMAT_NAMES: Readonly<Record<ImageFormat, string>> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The format the leading bytes (magic numbers) say, or null: never the name or a header. */
export function sniffFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'webp';
  }
  return null;
}

/**
 * What is wrong with the container of an image of `format`, or null when it is exactly one whole
 * file: a PNG whose chunks run from the signature to IEND and stop there, a JPEG that ends with
 * its end-of-image marker, a WebP whose RIFF size is the file's. Truncated files and polyglots
 * (another file appended after the image) are refused before any decoder sees them.
 */
export function containerProblem(bytes: Buffer, format: ImageFormat): string | null {
  switch (format) {
    case 'png':
      return pngProblem(bytes);
    case 'jpeg':
      return jpegProblem(bytes);
    case 'webp':
      return webpProblem(bytes);
  }
}

const TRUNCATED = 'is truncated';
const TRAILING = 'has data after the end of the image';

function pngProblem(bytes: Buffer): string | null {
  let offset = PNG_SIGNATURE.length;
  let first = true;
  for (;;) {
    if (offset + 12 > bytes.length) return TRUNCATED;
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(type) || length > 0x7fffffff) return 'has a malformed PNG chunk';
    if (first && (type !== 'IHDR' || length !== 13)) return 'does not start with a PNG header';
    first = false;
    const end = offset + 12 + length;
    if (end > bytes.length) return TRUNCATED;
    if (type === 'IEND') return end === bytes.length ? null : TRAILING;
    offset = end;
  }
}

function jpegProblem(bytes: Buffer): string | null {
  const end = bytes.length;
  if (end < 4) return TRUNCATED;
  if (bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9) return null;
  // Some encoders pad with zeros after the end-of-image marker: harmless, so accepted.
  const eoi = bytes.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (eoi <= 2) return TRUNCATED;
  return bytes.subarray(eoi + 2).some((byte) => byte !== 0) ? TRAILING : null;
}

function webpProblem(bytes: Buffer): string | null {
  const declared = bytes.readUInt32LE(4) + 8;
  const padded = declared + (declared % 2);
  if (bytes.length < declared) return TRUNCATED;
  if (bytes.length > padded) return TRAILING;
  return null;
}
