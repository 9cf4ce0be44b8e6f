import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('runs one task at a time per key, in arrival order, through failures; other keys in parallel', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const running = new Map<string, number>();
    const task = (key: string, name: string, fail = false) =>
      queue.run(key, async () => {
        running.set(key, (running.get(key) ?? 0) + 1);
        expect(running.get(key)).toBe(1);
        log.push(`${name} start`);
        await tick();
        await tick();
        log.push(`${name} end`);
        running.set(key, (running.get(key) ?? 0) - 1);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([
      task('a', 'a1'),
      task('a', 'a2', true),
      task('b', 'b1'),
      task('a', 'a3'),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const of = (prefix: string) => log.filter((line) => line.startsWith(prefix));
    expect(of('a')).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end', 'a3 start', 'a3 end']);
    // b1 did not wait for a's tasks.
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('forgets a key once its tasks are done', async () => {
    const queue = new KeyedQueue();
    await Promise.all([queue.run('x', () => Promise.resolve(1)), queue.run('y', () => tick())]);
    await tick();
    expect(queue.size).toBe(0);
    await expect(queue.run('x', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await tick();
    expect(queue.size).toBe(0);
  });
});
