import type { AffinityGroup, AffinityViolation } from '@kelpie/shared-types';

export interface PlacedVm {
  id: string;
  name: string;
  /** Where it is defined (null: nowhere). */
  hostId: string | null;
}

/**
 * The members of each group that break it where they are defined now (as the scheduler counts
 * membership: a defined VM may start any time). A group with hosts is a VM↔host rule: a member off
 * its pinned hosts or on a host the group keeps it off. Otherwise VM↔VM: negative — each member sharing a host with another member; positive —
 * the members away from the host most of them share. Pure.
 */
export function affinityViolations(
  groups: AffinityGroup[],
  vms: Map<string, PlacedVm>,
  hostNames: Map<string, string>,
): AffinityViolation[] {
  const out: AffinityViolation[] = [];
  for (const g of groups) {
    const members = g.vmIds.map((id) => vms.get(id)).filter((v): v is PlacedVm => !!v?.hostId);
    const add = (vm: PlacedVm, reason: string) =>
      out.push({
        groupId: g.id,
        groupName: g.name,
        enforcing: g.enforcing,
        vmId: vm.id,
        vmName: vm.name,
        hostId: vm.hostId!,
        hostName: hostNames.get(vm.hostId!) ?? vm.hostId!,
        reason,
      });
    const hosts = new Set(g.hostIds);
    const byHost = new Map<string, PlacedVm[]>();
    for (const vm of members) byHost.set(vm.hostId!, [...(byHost.get(vm.hostId!) ?? []), vm]);
    if (hosts.size) {
      // A group with hosts is a VM↔host rule only (as the scheduler reads it).
      for (const vm of members) {
        const host = hostNames.get(vm.hostId!) ?? vm.hostId!;
        if (g.polarity === 'positive' && !hosts.has(vm.hostId!))
          add(vm, `pinned to ${g.hostIds.map((h) => hostNames.get(h) ?? h).join(', ')}, defined on ${host}`);
        if (g.polarity === 'negative' && hosts.has(vm.hostId!)) add(vm, `kept off ${host}, defined there`);
      }
      continue;
    }
    for (const vm of members) {
      const host = hostNames.get(vm.hostId!) ?? vm.hostId!;
      const together = byHost.get(vm.hostId!)!.filter((o) => o.id !== vm.id);
      if (g.polarity === 'negative' && together.length)
        add(vm, `shares ${host} with ${together.map((o) => o.name).join(', ')}`);
    }
    if (g.polarity === 'positive' && byHost.size > 1) {
      // The host with most members (ties: by name) is where the others should be.
      const [home] = [...byHost.entries()].sort(
        (a, b) =>
          b[1].length - a[1].length ||
          (hostNames.get(a[0]) ?? a[0]).localeCompare(hostNames.get(b[0]) ?? b[0]),
      )[0]!;
      for (const vm of members)
        if (vm.hostId !== home && !out.some((v) => v.groupId === g.id && v.vmId === vm.id))
          add(vm, `apart from the group's other VMs on ${hostNames.get(home) ?? home}`);
    }
  }
  return out;
}
