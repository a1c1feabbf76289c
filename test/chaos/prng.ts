/** A small seeded PRNG (mulberry32): the same seed replays the same choices, so a soak that found
 * something can be run again with `KELPIE_CHAOS_SEED=<seed>` (timing still differs run to run). */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; entries with weight 0 are never chosen. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of entries) {
      if (r < w) return v;
      r -= w;
    }
    return entries[entries.length - 1][0];
  }
}

export function seedFromEnv(value: string | undefined): number {
  if (value && /^\d+$/.test(value)) return Number(value) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
