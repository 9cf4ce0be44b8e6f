import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/** Uniform numbers in [0, 1): injected so that tests can seed or count the draws. */
export abstract class RandomSource {
  abstract next(): number;
}

const RESOLUTION = 2 ** 48;

/** The default source: the operating system's cryptographic generator, 48 bits per draw. */
@Injectable()
export class CryptoRandomSource extends RandomSource {
  next(): number {
    return randomBytes(6).readUIntBE(0, 6) / RESOLUTION;
  }
}

/**
 * One item with probability weight / total weight, from one draw of `random` (items with a
 * weight that is not a positive number are never picked). Null when nothing can be picked.
 */
export function pickWeighted<T extends { weight: number }>(
  items: readonly T[],
  random: RandomSource,
): T | null {
  const candidates = items.filter((item) => Number.isFinite(item.weight) && item.weight > 0);
  const total = candidates.reduce((sum, item) => sum + item.weight, 0);
  if (candidates.length === 0) return null;
  let point = random.next() * total;
  for (const item of candidates) {
    point -= item.weight;
    if (point < 0) return item;
  }
  return candidates[candidates.length - 1];
}
