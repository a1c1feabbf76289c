import type {
  MigrateVmRequest,
  MigrationPostcopyMode,
  MigrationProgress,
  MigrationStorageMode,
  MigrationTargetOption,
} from '@kelpie/shared-types';

export const POSTCOPY_MODES: { value: MigrationPostcopyMode; label: string }[] = [
  { value: 'off', label: 'Off (pre-copy only)' },
  { value: 'immediate', label: 'Immediate (switch as soon as the job runs)' },
  { value: 'on-stall', label: 'On stall (switch when no progress)' },
];
export const STORAGE_MODES: { value: MigrationStorageMode; label: string }[] = [
  { value: 'shared', label: 'Shared (disks stay where they are)' },
  { value: 'copy-all', label: 'Copy all disks to the target' },
  { value: 'copy-incremental', label: 'Copy only what the backing chain lacks' },
];

/** The dialog's fields as typed: '' means "the cluster's migration policy". */
export interface MigrationForm {
  target: string;
  bandwidth: string;
  downtime: string;
  autoConverge: '' | 'on' | 'off';
  postcopy: '' | MigrationPostcopyMode;
  compressed: '' | 'on' | 'off';
  storage: '' | MigrationStorageMode;
}

export const EMPTY_MIGRATION_FORM: MigrationForm = {
  target: '',
  bandwidth: '',
  downtime: '',
  autoConverge: '',
  postcopy: '',
  compressed: '',
  storage: '',
};

function wholeNumber(raw: string, min: number, max: number): number | string {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max)
    return `a whole number from ${min} to ${max}`;
  return n;
}

/** Form → `POST /vms/{id}/migrate` body, or field errors (the same bounds the API checks). */
export function migrationRequest(
  f: MigrationForm,
): { body: MigrateVmRequest; errors?: undefined } | { errors: Record<string, string> } {
  const body: MigrateVmRequest = {};
  const errors: Record<string, string> = {};
  if (f.target) body.targetHostId = f.target;
  if (f.bandwidth.trim()) {
    const v = wholeNumber(f.bandwidth, 1, 100000);
    if (typeof v === 'string') errors.bandwidth = `Max bandwidth (MiB/s) must be ${v}, or empty.`;
    else body.maxBandwidthMiBps = v;
  }
  if (f.downtime.trim()) {
    const v = wholeNumber(f.downtime, 10, 600000);
    if (typeof v === 'string') errors.downtime = `Max downtime (ms) must be ${v}, or empty.`;
    else body.maxDowntimeMs = v;
  }
  if (f.autoConverge) body.autoConverge = f.autoConverge === 'on';
  if (f.compressed) body.compressed = f.compressed === 'on';
  if (f.postcopy) body.postcopy = f.postcopy;
  if (f.storage) body.storage = f.storage;
  return Object.keys(errors).length ? { errors } : { body };
}

/** Why a target cannot be chosen, as one sentence (VM-level problems apply to every target). */
export function targetProblem(t: MigrationTargetOption, vmProblems: string[]): string | null {
  const all = [...vmProblems, ...t.problems];
  if (t.eligible && !vmProblems.length) return null;
  return all.length ? all.join('; ') : 'fails the pre-checks';
}

/** What the live progress view shows, from the latest sample (bytes, bytes/s, ms). */
export interface ProgressFigures {
  percent: number;
  phase: string;
  remainingBytes: number | null;
  totalBytes: number | null;
  bandwidthBps: number | null;
  dirtyRateBps: number | null;
  iteration: number | null;
  elapsedMs: number;
  etaMs: number | null;
}

export function progressFigures(p: MigrationProgress | null | undefined): ProgressFigures | null {
  if (!p) return null;
  const remaining = p.dataRemaining ?? p.memoryRemaining ?? null;
  const bandwidth = p.memoryBandwidth ?? null;
  return {
    percent: p.percent,
    phase: p.phase,
    remainingBytes: remaining,
    totalBytes: p.dataTotal ?? p.memoryTotal ?? null,
    bandwidthBps: bandwidth,
    dirtyRateBps: p.dirtyRate ?? null,
    iteration: p.iteration ?? null,
    elapsedMs: p.elapsedMs,
    // Remaining at the current rate; pages dirtied meanwhile make the real figure longer.
    etaMs: remaining !== null && bandwidth ? Math.round((remaining / bandwidth) * 1000) : null,
  };
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
