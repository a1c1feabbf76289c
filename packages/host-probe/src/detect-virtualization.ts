import { access, constants } from 'node:fs/promises';
import { PROBE_STAGE_MEANING } from './boot-sector';
import { ProbeGuestResult, runProbeGuest } from './probe-guest';

export type VirtualizationMode = 'kvm' | 'tcg';

export interface VirtualizationProbe {
  mode: VirtualizationMode;
  reason: string;
  /** The KVM probe guest run, when /dev/kvm was there to try. */
  kvmGuest?: ProbeGuestResult;
}

export interface DetectOptions {
  kvmDevice?: string;
  timeoutMs?: number;
  qemuBinary?: string;
}

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
  const kvmGuest = await runProbeGuest({
    accel: 'kvm',
    timeoutMs: options.timeoutMs,
    qemuBinary: options.qemuBinary,
  });
  if (kvmGuest.completed) {
    return {
      mode: 'kvm',
      reason: `a KVM probe guest ran to completion in ${kvmGuest.elapsedMs} ms`,
      kvmGuest,
    };
  }
  return { mode: 'tcg', reason: describeFailure(kvmGuest), kvmGuest };
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
