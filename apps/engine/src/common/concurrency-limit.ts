/**
 * Runs at most `max` calls of `run` at once; the others wait their turn in arrival order. Used where
 * each call holds a database connection while it needs another one (a transaction kept open across
 * host questions): bounding them below the pool size keeps the pool from being held up entirely.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line (active stays counted) or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
