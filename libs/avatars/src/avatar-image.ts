import { createHash } from 'node:crypto';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { DomainError } from '@app/common';
import { containerProblem, FORMAT_NAMES, sniffFormat } from './image-format';

/** Side of the square every avatar is stored and served at, in pixels. */
export const AVATAR_SIZE = 256;
export const AVATAR_CONTENT_TYPE = 'image/webp';
/** Largest upload, in bytes (enforced while the body streams in). */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/**
 * Most pixels an upload may declare: checked from its header before anything is decoded. 16
 * megapixels (a 4896×3264 photo, more than most phones take) decode in well under a second.
 */
export const AVATAR_MAX_PIXELS = 16_000_000;

/** An avatar ready to store: WebP bytes and their SHA-256 (hex). */
export interface AvatarImage {
  readonly bytes: Buffer;
  readonly hash: string;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function refuse(message: string): DomainError {
  return DomainError.validation([{ field: 'file', message }], 'The avatar image is not accepted');
}

// Uploads are decoded once; libvips' operation cache would only keep their pixels in memory.
sharp.cache(false);

/**
 * An upload made into an avatar: judged by its bytes (a whole PNG, JPEG or WebP file of at most
 * AVATAR_MAX_PIXELS, one frame, 8 bits per channel), then decoded strictly (any decoder error
 * refuses it), turned upright by its EXIF orientation, cropped to cover AVATAR_SIZE² and encoded
 * as WebP with no metadata at all (no EXIF, GPS, XMP or ICC). Every refusal is 400
 * VALIDATION_FAILED naming file.
 */
export async function avatarFromUpload(upload: Buffer): Promise<AvatarImage> {
  if (upload.length === 0) throw refuse('must not be empty');
  const format = sniffFormat(upload);
  if (format === null) throw refuse('must be a PNG, JPEG or WebP image');
  const problem = containerProblem(upload, format);
  if (problem !== null) throw refuse(`${problem}: not a whole ${FORMAT_NAMES[format]} file`);
  const options: SharpOptions = {
    failOn: 'error',
    limitInputPixels: AVATAR_MAX_PIXELS,
    sequentialRead: true,
  };
  let metadata: Metadata;
  try {
    // The header only, nothing decoded: the pixel limit is checked here to name the size.
    metadata = await sharp(upload, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw refuse(`could not be read as a ${FORMAT_NAMES[format]} image`);
  }
  if (metadata.format !== format) throw refuse(`is not a clean ${FORMAT_NAMES[format]} image`);
  const { width, height } = metadata;
  if (!width || !height) throw refuse(`could not be read as a ${FORMAT_NAMES[format]} image`);
  if (width * height > AVATAR_MAX_PIXELS) {
    throw refuse(
      `must have at most ${AVATAR_MAX_PIXELS / 1_000_000} megapixels (it declares ${width}×${height})`,
    );
  }
  if ((metadata.pages ?? 1) > 1) throw refuse('must be a still image, not an animation');
  // 16 bits per channel (PNG; 12-bit JPEG) double the decoding work and memory for nothing a
  // 256×256 WebP can show: refused from the header, before decoding, rather than converted.
  if (metadata.depth !== 'uchar') throw refuse('must have 8 bits per channel, not 16');
  let bytes: Buffer;
  try {
    bytes = await sharp(upload, options)
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    throw refuse(`could not be decoded as a ${FORMAT_NAMES[format]} image`);
  }
  return { bytes, hash: sha256Hex(bytes) };
}
