import { ConcurrencyLimit } from './concurrency-limit';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimit', () => {
  it('runs at most max at once, the rest in arrival order, and frees slots on failure', async () => {
    const limit = new ConcurrencyLimit(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((i) =>
      limit.run(async () => {
        started.push(i);
        await new Promise<void>((r) => release.push(r));
        if (i === 0) throw new Error('boom');
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    release[0]!();
    await expect(runs[0]).rejects.toThrow('boom');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    release[1]!();
    release[2]!();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    release[3]!();
    await expect(Promise.all(runs.slice(1))).resolves.toEqual([1, 2, 3]);
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
