import { InTurn } from './in-turn';

describe('InTurn', () => {
  it('runs at most its slots at once, the rest in arrival order, through failures', async () => {
    const turns = new InTurn(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) =>
      turns.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        order.push(i);
        if (i === 1) throw new Error('boom');
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    await expect(turns.run(() => Promise.resolve('free again'))).resolves.toBe('free again');
  });

  it('with maxWaiting, refuses work at once when that many wait, and takes it again once they move', async () => {
    const turns = new InTurn(1, { maxWaiting: 2, whenFull: () => new Error('busy') });
    const gates: (() => void)[] = [];
    const started: number[] = [];
    const job = (i: number) =>
      turns.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => gates.push(resolve));
        return i;
      });
    const running = job(0);
    const waiting = [job(1), job(2)];
    await expect(job(3)).rejects.toThrow('busy');
    await expect(job(4)).rejects.toThrow('busy');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0]);
    gates.shift()?.();
    await expect(running).resolves.toBe(0);
    // One moved up into the slot: there is room in the line for one more.
    const late = job(5);
    await expect(job(6)).rejects.toThrow('busy');
    const rest = [...waiting, late];
    for (const [index, expected] of [1, 2, 5].entries()) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
      await expect(rest[index]).resolves.toBe(expected);
    }
    expect(started).toEqual([0, 1, 2, 5]);
  });

  it('with maxWaiting 0, only runs work a slot is free for; a plain Error by default', async () => {
    const turns = new InTurn(1, { maxWaiting: 0 });
    let release = (): void => undefined;
    const first = turns.run(
      () =>
        new Promise<string>((resolve) => {
          release = () => {
            resolve('a');
          };
        }),
    );
    await expect(turns.run(() => Promise.resolve('b'))).rejects.toThrow(
      'Too much work is waiting its turn',
    );
    release();
    await expect(first).resolves.toBe('a');
    await expect(turns.run(() => Promise.resolve('c'))).resolves.toBe('c');
  });

  it('refuses nonsense bounds', () => {
    expect(() => new InTurn(0)).toThrow(RangeError);
    expect(() => new InTurn(1, { maxWaiting: -1 })).toThrow(RangeError);
  });
});
