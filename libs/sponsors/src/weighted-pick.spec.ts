import { CryptoRandomSource, pickWeighted, RandomSource } from './weighted-pick';

/** mulberry32: a small seeded generator, so that the draws below are the same on every run. */
class SeededRandom extends RandomSource {
  constructor(private state: number) {
    super();
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

class FixedRandom extends RandomSource {
  constructor(private readonly value: number) {
    super();
  }

  next(): number {
    return this.value;
  }
}

const ITEMS = [
  { id: 'a', weight: 1 },
  { id: 'b', weight: 2 },
  { id: 'c', weight: 3 },
  { id: 'd', weight: 4 },
];
/** χ² with 3 degrees of freedom exceeds 16.27 with probability 0.001. */
const CHI_SQUARE_3_DF_P001 = 16.27;

function chiSquare(random: RandomSource, draws: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i += 1) {
    const id = pickWeighted(ITEMS, random)?.id ?? 'none';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const total = ITEMS.reduce((sum, item) => sum + item.weight, 0);
  return ITEMS.reduce((sum, item) => {
    const expected = (draws * item.weight) / total;
    return sum + ((counts.get(item.id) ?? 0) - expected) ** 2 / expected;
  }, 0);
}

describe('pickWeighted', () => {
  it('picks each item in proportion to its weight over 2,000 seeded draws (χ² < 16.27, p = 0.001)', () => {
    for (const seed of [1, 42, 2026]) {
      expect(chiSquare(new SeededRandom(seed), 2000)).toBeLessThan(CHI_SQUARE_3_DF_P001);
    }
  });

  // Unseeded: the bound is doubled (χ² > 32.5 has probability below 1e-6).
  it('keeps the proportions with the default crypto source too', () => {
    expect(chiSquare(new CryptoRandomSource(), 2000)).toBeLessThan(CHI_SQUARE_3_DF_P001 * 2);
  });

  it('maps [0, 1) onto the cumulative weights, one draw per pick', () => {
    let draws = 0;
    const counting = new (class extends RandomSource {
      next(): number {
        draws += 1;
        return 0.5;
      }
    })();
    // Cumulative: a [0, 0.1), b [0.1, 0.3), c [0.3, 0.6), d [0.6, 1).
    expect(pickWeighted(ITEMS, counting)?.id).toBe('c');
    expect(draws).toBe(1);
    expect(pickWeighted(ITEMS, new FixedRandom(0))?.id).toBe('a');
    expect(pickWeighted(ITEMS, new FixedRandom(0.1))?.id).toBe('b');
    expect(pickWeighted(ITEMS, new FixedRandom(0.999999))?.id).toBe('d');
  });

  it('never picks an item without a positive weight, and picks nothing from nothing', () => {
    const items = [
      { id: 'zero', weight: 0 },
      { id: 'one', weight: 1 },
    ];
    expect(pickWeighted(items, new FixedRandom(0))?.id).toBe('one');
    expect(pickWeighted([], new FixedRandom(0.5))).toBeNull();
    expect(pickWeighted([{ weight: 0 }], new FixedRandom(0.5))).toBeNull();
  });

  it('draws from [0, 1) by default', () => {
    const random = new CryptoRandomSource();
    for (let i = 0; i < 1000; i += 1) {
      const value = random.next();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});
