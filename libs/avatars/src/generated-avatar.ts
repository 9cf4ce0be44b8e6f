import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { AVATAR_SIZE } from './avatar-image';

const FONT_FAMILY = 'DobKonektor Avatar';

/**
 * The font ships with the app (DejaVu Sans Bold, from the dejavu-fonts-ttf package): the drawing
 * never depends on the fonts a machine happens to have. Characters it lacks (CJK, emoji) fall back
 * to the system's fonts through Skia, but initialsOf only picks letters of the scripts it covers.
 */
function registerFont(): void {
  if (GlobalFonts.has(FONT_FAMILY)) return;
  const fonts = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  GlobalFonts.registerFromPath(join(fonts, 'DejaVuSans-Bold.ttf'), FONT_FAMILY);
}

/** A background colour of the user's own: the hue from a hash of the id, dark enough for white. */
export function backgroundOf(userId: string): string {
  const digest = createHash('sha256').update(userId).digest();
  const hue = digest.readUInt16BE(0) % 360;
  const saturation = 45 + (digest[2] % 20);
  const lightness = 34 + (digest[3] % 10);
  return `hsl(${hue}, ${saturation}%, ${lightness}%)`;
}

/**
 * The generated avatar: `initials` in white on the user's colour, AVATAR_SIZE² lossless WebP.
 * Deterministic: the same id and initials give the same bytes (with the same libraries).
 */
export async function renderGeneratedAvatar(userId: string, initials: string): Promise<Buffer> {
  registerFont();
  const canvas = createCanvas(AVATAR_SIZE, AVATAR_SIZE);
  const context = canvas.getContext('2d');
  context.fillStyle = backgroundOf(userId);
  context.fillRect(0, 0, AVATAR_SIZE, AVATAR_SIZE);
  if (initials !== '') drawInitials(context, initials);
  const png = canvas.toBuffer('image/png');
  return sharp(png).webp({ lossless: true }).toBuffer();
}

/** White initials centred on the square, shrunk when wide. */
function drawInitials(context: SKRSContext2D, initials: string): void {
  const size = Array.from(initials).length > 1 ? 104 : 128;
  context.font = `${size}px "${FONT_FAMILY}"`;
  context.fillStyle = '#ffffff';
  context.textAlign = 'center';
  context.textBaseline = 'alphabetic';
  const metrics = context.measureText(initials);
  const scale = Math.min(1, (AVATAR_SIZE * 0.8) / Math.max(1, metrics.width));
  const ascent = metrics.actualBoundingBoxAscent * scale;
  const descent = metrics.actualBoundingBoxDescent * scale;
  context.translate(AVATAR_SIZE / 2, (AVATAR_SIZE + ascent - descent) / 2);
  context.scale(scale, scale);
  context.fillText(initials, 0, 0);
}
