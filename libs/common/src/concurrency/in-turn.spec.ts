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
});
