import { HostStatus } from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';

/** Memory kept free on a target besides the VM's own (QEMU overhead, the host itself). */
export const TARGET_MEMORY_MARGIN_MIB = 64;
/** Hosts whose free memory is within this fraction of the best are equally good; the one running
 * the fewest VMs wins (spreads a batch, e.g. a maintenance evacuation, instead of stacking it). */
export const FREE_MEMORY_TIE_FRACTION = 0.05;

/** Hosts new VMs (started, created or migrated in) may be placed on: Up and not in (preparing for)
 * maintenance. Every placement decision (migration target, VM start) must use it. */
export function acceptsNewVms(host: Pick<HostEntity, 'status'>): boolean {
  return host.status === HostStatus.Up;
}

/** What a candidate target looks like to the scheduler. */
export interface Candidate {
  host: HostEntity;
  /** Free memory now minus what this batch already planned for it. */
  freeMiB: number;
  /** Active VMs on it plus those this batch planned for it. */
  vmCount: number;
}

/** Memory and VMs already promised to hosts by an ongoing batch (maintenance). */
export type Reservations = Map<string, { memoryMiB: number; vms: number }>;

export function freeMemoryMiB(host: HostEntity, reservations?: Reservations): number | null {
  if (!host.load) return null;
  return Math.floor(host.load.memFreeKiB / 1024) - (reservations?.get(host.id)?.memoryMiB ?? 0);
}

/** Picks the best of the candidates that passed every check: most free memory, then fewest VMs. */
export function pickTarget(candidates: Candidate[]): { choice: Candidate; reason: string } | null {
  if (!candidates.length) return null;
  const best = Math.max(...candidates.map((c) => c.freeMiB));
  const near = candidates.filter((c) => c.freeMiB >= best * (1 - FREE_MEMORY_TIE_FRACTION));
  near.sort(
    (a, b) => a.vmCount - b.vmCount || b.freeMiB - a.freeMiB || a.host.name.localeCompare(b.host.name),
  );
  const choice = near[0]!;
  const reason =
    `scheduler chose ${choice.host.name} out of ${candidates.length} eligible host(s): ` +
    `${choice.freeMiB} MiB free` +
    (near.length > 1
      ? ` (within ${FREE_MEMORY_TIE_FRACTION * 100}% of the most), fewest VMs (${choice.vmCount})`
      : ' (the most)') +
    '; same CPU, storage and networks present';
  return { choice, reason };
}
