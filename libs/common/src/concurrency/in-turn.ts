export interface InTurnOptions {
  /**
   * Most pieces of work that may wait for a slot (unbounded when absent): one more is refused at
   * once with the error of `whenFull`, so that a burst cannot grow the line (and the memory its
   * work holds) without end.
   */
  readonly maxWaiting?: number;
  /** The error a refused piece of work rejects with (by default a plain Error). */
  readonly whenFull?: () => Error;
}

/**
 * Runs at most `slots` pieces of work at once, the others waiting their turn, first come first
 * served: for CPU- or memory-heavy work on libuv's thread pool (bcrypt, image decoding), so that
 * a burst waits instead of exhausting memory or starving other requests. With `maxWaiting`, work
 * arriving when that many already wait is refused without being run.
 */
export class InTurn {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly slots: number,
    private readonly options: InTurnOptions = {},
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError('InTurn needs at least 1 slot');
    const { maxWaiting } = options;
    if (maxWaiting !== undefined && (!Number.isInteger(maxWaiting) || maxWaiting < 0)) {
      throw new RangeError('InTurn maxWaiting must be a whole number, 0 or more');
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.slots) this.running++;
    else if (this.waiting.length >= (this.options.maxWaiting ?? Infinity)) {
      throw this.options.whenFull?.() ?? new Error('Too much work is waiting its turn');
    } else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
