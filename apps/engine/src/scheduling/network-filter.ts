import { SchedulingFilter } from '@kelpie/shared-types';
import type { SchedulingFilterFn } from './filters';

/** A logical network a VM's NIC is on, as a host carries it: its bridge (Linux or OVS fake bridge). */
export interface VmNetworkNeed {
  id: string;
  name: string;
  bridge: string;
}

/** The VM's networks the host does not carry; none when the host never reported its networking (the
 * agent's own bridge check, asked later, still refuses it then). */
export function missingNetworks(
  needs: VmNetworkNeed[],
  hostBridges: ReadonlySet<string> | null,
): VmNetworkNeed[] {
  if (!hostBridges) return [];
  return needs.filter((n) => !hostBridges.has(n.bridge));
}

/** Worded like the agent's own bridge check ("lacks bridge"), which clients already map to the NIC. */
export const describeMissing = (missing: VmNetworkNeed[]) =>
  `host lacks bridge ${missing.map((n) => `${n.bridge} (network ${n.name})`).join(', ')}`;

/** Hosts lacking a network of the VM's NICs are no candidates (the VM's taps would have no bridge). */
export const networksFilter: SchedulingFilterFn = {
  name: SchedulingFilter.Networks,
  refuse: (h, { vm }) => {
    const missing = missingNetworks(vm.networks ?? [], h.bridges ?? null);
    return missing.length ? describeMissing(missing) : null;
  },
};
