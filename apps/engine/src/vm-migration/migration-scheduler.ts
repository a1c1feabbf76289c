import { HostStatus } from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';

/** Memory kept free on a target besides the VM's own (QEMU overhead, the host itself). */
export const TARGET_MEMORY_MARGIN_MIB = 64;
/** Hosts new VMs (started, created or migrated in) may be placed on: Up and not in (preparing for)
 * maintenance. Every placement decision (migration target, VM start) must use it. */
export function acceptsNewVms(host: Pick<HostEntity, 'status'>): boolean {
  return host.status === HostStatus.Up;
}

/** Memory and VMs already promised to hosts by an ongoing batch (maintenance). */
export type Reservations = Map<string, { memoryMiB: number; vms: number }>;

export function freeMemoryMiB(host: HostEntity, reservations?: Reservations): number | null {
  if (!host.load) return null;
  return Math.floor(host.load.memFreeKiB / 1024) - (reservations?.get(host.id)?.memoryMiB ?? 0);
}
