/**
 * Runs at most `slots` pieces of work at once, the others waiting their turn, first come first
 * served: for CPU- or memory-heavy work on libuv's thread pool (bcrypt, image decoding), so that
 * a burst waits instead of exhausting memory or starving other requests.
 */
export class InTurn {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.slots) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
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
