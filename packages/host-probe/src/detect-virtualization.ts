import { access, constants } from 'node:fs/promises';
import { PROBE_STAGE_MEANING } from './boot-sector';
import { ProbeGuestResult, runProbeGuest } from './probe-guest';

export type VirtualizationMode = 'kvm' | 'tcg';

export interface VirtualizationProbe {
  mode: VirtualizationMode;
  reason: string;
  /** The last KVM probe guest run (the failed one, if any), when /dev/kvm was there to try. */
  kvmGuest?: ProbeGuestResult;
  /** How many KVM probe guests ran to completion before the verdict (all of them for 'kvm'). */
  kvmCompletions?: number;
}

export interface DetectOptions {
  kvmDevice?: string;
  timeoutMs?: number;
  qemuBinary?: string;
  /** KVM probe guests that must all complete before KVM is trusted. */
  kvmRuns?: number;
}

/**
 * Some /dev/kvm variants run a guest to completion now and then and stall it most of the time: one
 * completed guest is luck, several in a row are a working KVM (three in a row followed by a stall
 * has been seen, so five). A failure ends the probe at once, so a broken KVM costs one guest's
 * timeout, and a working one a few hundred milliseconds more per guest.
 */
export const KVM_PROBE_RUNS = 5;

let cached: Promise<VirtualizationProbe> | undefined;

/**
 * 'kvm' only when a real guest runs under KVM here: /dev/kvm alone is not enough (some variants
 * start guests that never get past their first memory-heavy work). Cached for the process.
 */
export async function detectVirtualization(): Promise<VirtualizationMode> {
  return (await probeVirtualization()).mode;
}

/** Same as detectVirtualization, with the reason and the probe guest's output. Cached. */
export function probeVirtualization(): Promise<VirtualizationProbe> {
  cached ??= probeVirtualizationUncached();
  return cached;
}

/** Runs the probe again, ignoring and not touching the cache (for tests and diagnostics). */
export async function probeVirtualizationUncached(options: DetectOptions = {}): Promise<VirtualizationProbe> {
  const device = options.kvmDevice ?? '/dev/kvm';
  try {
    await access(device, constants.R_OK | constants.W_OK);
  } catch {
    return { mode: 'tcg', reason: `${device} is missing or not accessible` };
  }
  const runs = options.kvmRuns ?? KVM_PROBE_RUNS;
  let kvmGuest: ProbeGuestResult | undefined;
  for (let completions = 0; completions < runs; completions++) {
    kvmGuest = await runProbeGuest({
      accel: 'kvm',
      timeoutMs: options.timeoutMs,
      qemuBinary: options.qemuBinary,
    });
    if (!kvmGuest.completed) {
      const after = completions ? ` (after ${completions} that completed)` : '';
      return {
        mode: 'tcg',
        reason: describeFailure(kvmGuest) + after,
        kvmGuest,
        kvmCompletions: completions,
      };
    }
  }
  return {
    mode: 'kvm',
    reason: `${runs} KVM probe guests in a row ran to completion (the last in ${kvmGuest?.elapsedMs} ms)`,
    kvmGuest,
    kvmCompletions: runs,
  };
}

function describeFailure(run: ProbeGuestResult): string {
  const last = run.stages.at(-1);
  const progress = last ? `it ${PROBE_STAGE_MEANING[last]} and then stalled` : 'it printed nothing';
  const detail = run.diagnostics ? ` (qemu: ${run.diagnostics.split('\n')[0]})` : '';
  return `${run.accel.toUpperCase()} probe guest did not complete within ${run.elapsedMs} ms: ${progress}${detail}`;
}

/** Forget the cached result (tests). */
export function resetVirtualizationCache(): void {
  cached = undefined;
}
