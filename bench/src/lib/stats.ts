/** Small statistics helpers: percentiles by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  const mean = n ? samples.reduce((a, b) => a + b, 0) / n : NaN;
  return {
    n,
    min: n ? Math.min(...samples) : NaN,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: n ? Math.max(...samples) : NaN,
    mean,
  };
}

/** Rounds for display: 3 significant digits below 10, 1 decimal below 100, integers above. */
export function fmt(n: number | null | undefined, unit = ''): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  const v =
    Math.abs(n) < 10
      ? n.toPrecision(3)
      : Math.abs(n) < 100
        ? n.toFixed(1)
        : Math.round(n).toLocaleString('en-US');
  return unit ? `${v} ${unit}` : v;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
