import type { LoadSnapshot, MachineInfo } from './machine';

/** One line of a benchmark's table in docs/performance.md. */
export interface ResultRow {
  what: string;
  /** The same thing done without Kelpie (raw virsh, raw SQL…) in the same run, or null. */
  baseline: string | null;
  result: string;
  /** result ÷ baseline when both are numbers of the same kind. */
  ratio: number | null;
  target: string | null;
  /** null when there is no target. */
  met: boolean | null;
  /** What limits the result when the target is missed (or a note on the measurement). */
  limits?: string;
}

export interface BenchContext {
  quick: boolean;
  /** Progress lines (stderr). */
  log(line: string): void;
}

export interface BenchOutcome {
  rows: ResultRow[];
  /** Raw numbers (distributions, per-step samples) kept in the JSON result. */
  details: Record<string, unknown>;
  /** Free text shown under the table (method, caveats). */
  notes?: string[];
}

export interface Benchmark {
  name: string;
  title: string;
  /** Where it comes from (issue, component). */
  description: string;
  /** Set when it cannot run yet: the feature it needs. The doc shows "not yet measured: needs …". */
  needs?: string;
  run?(ctx: BenchContext): Promise<BenchOutcome>;
}

export interface BenchResult extends BenchOutcome {
  name: string;
  title: string;
  description: string;
  quick: boolean;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  commit: string;
  machine: MachineInfo;
  loadBefore: LoadSnapshot;
  loadAfter: LoadSnapshot;
  error?: string;
}
