import { HostStatus, SchedulingFilter, statusPhrase } from '@kelpie/shared-types';
import { networksFilter } from './network-filter';
import type { SchedCluster, SchedHost, SchedRule, SchedVm } from './scheduling.model';

export interface FilterContext {
  vm: SchedVm;
  cluster: SchedCluster;
  rules: SchedRule[];
  /** Every host considered (a positive rule looks where the other members are). */
  hosts: SchedHost[];
}

/** A hard rule: null when the host may take the VM, else the reason it may not. */
export interface SchedulingFilterFn {
  name: SchedulingFilter;
  refuse(host: SchedHost, ctx: FilterContext): string | null;
}

/** Memory a host can still give: physical − committed − pending − reserve. */
export function uncommittedMib(h: SchedHost, reserveMib: number): number | null {
  return h.memoryMib === null ? null : h.memoryMib - h.committedMib - h.pendingMib - reserveMib;
}

const names = (ids: string[], rule: SchedRule) => ids.map((id) => rule.others.get(id) ?? id).join(', ');

/** Members of the rule defined on this host. */
export const membersOn = (h: SchedHost, rule: SchedRule) => h.vmIds.filter((id) => rule.others.has(id));

const status: SchedulingFilterFn = {
  name: SchedulingFilter.Status,
  refuse: (h) => (h.status === HostStatus.Up ? null : `host is ${statusPhrase(h.status)}, not up`),
};

const cluster: SchedulingFilterFn = {
  name: SchedulingFilter.Cluster,
  refuse: (h, { vm }) => (h.clusterId === vm.clusterId ? null : 'host is in another cluster'),
};

const memory: SchedulingFilterFn = {
  name: SchedulingFilter.Memory,
  refuse: (h, { vm, cluster: c }) => {
    const avail = uncommittedMib(h, c.reserveMib);
    if (avail === null) return 'host has not reported its capabilities yet';
    if (avail >= vm.memoryMib) return null;
    const pending = h.pendingMib ? ` − ${h.pendingMib} MiB pending` : '';
    return (
      `needs ${vm.memoryMib} MiB, only ${Math.max(0, avail)} MiB uncommitted ` +
      `(${h.memoryMib} MiB − ${h.committedMib} MiB committed${pending} − ${c.reserveMib} MiB reserve)`
    );
  },
};

const cpuCount: SchedulingFilterFn = {
  name: SchedulingFilter.CpuCount,
  refuse: (h, { vm }) => {
    if (h.cpuCount === null) return 'host has not reported its CPUs yet';
    return vm.vcpus <= h.cpuCount ? null : `VM has ${vm.vcpus} vCPUs, the host only ${h.cpuCount} CPUs`;
  },
};

/** The cluster's CPU model must run on the host, so every VM of the cluster can move to any host of it.
 * host-passthrough needs KVM (QEMU cannot emulate "the host's CPU"); host-model is what libvirt says. */
const cpuModel: SchedulingFilterFn = {
  name: SchedulingFilter.CpuModel,
  refuse: (h, { cluster: c }) => {
    const model = c.cpuModel;
    if (model === null) return null;
    if (!h.cpuModes) return `host has not reported its usable CPU models (cluster CPU ${model})`;
    if (model === 'host-passthrough')
      return h.cpuModes.hostPassthrough && h.virtualization === 'kvm'
        ? null
        : `host-passthrough needs KVM; the host runs ${h.virtualization ?? 'an unknown accelerator'}`;
    if (model === 'host-model')
      return h.cpuModes.hostModel ? null : 'libvirt offers no host-model CPU on this host';
    if (h.cpuModes.custom.includes(model)) return null;
    const usable = `${h.cpuModes.custom.slice(0, 8).join(', ')}${h.cpuModes.custom.length > 8 ? ', …' : ''}`;
    const missing = h.cpuModes.missingFeatures;
    const lacks = missing?.[model]?.length ? `; lacks ${listOf(missing[model]!, MAX_FEATURES_NAMED)}` : '';
    const unknown = missing && !(model in missing) ? '; libvirt does not know this model here' : '';
    return `CPU model ${model} is not usable on this host (${h.virtualization ?? '?'}${lacks}${unknown}; usable: ${usable})`;
  },
};

/** Enough features to act on without drowning the reason (a server model lacks dozens under TCG). */
const MAX_FEATURES_NAMED = 12;
const listOf = (items: string[], max: number) =>
  items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');

/** The VM↔host side of a group: null when the host keeps it, else why not. */
export function hostRuleBroken(h: SchedHost, rule: SchedRule): string | null {
  if (!rule.hosts.size) return null;
  const listed = rule.hosts.has(h.id);
  if (rule.polarity === 'positive' && !listed)
    return `positive affinity group ${rule.name} pins its VMs to ${[...rule.hosts.values()].join(', ')}`;
  if (rule.polarity === 'negative' && listed)
    return `negative affinity group ${rule.name} keeps its VMs off ${h.name}`;
  return null;
}

export const affinity: SchedulingFilterFn = {
  name: SchedulingFilter.Affinity,
  refuse: (h, { rules, hosts }) => {
    for (const rule of rules.filter((r) => r.enforcing)) {
      // A group with hosts is a VM↔host rule only: its VMs are not also kept together or apart.
      if (rule.hosts.size) {
        const byHost = hostRuleBroken(h, rule);
        if (byHost) return byHost;
        continue;
      }
      const here = membersOn(h, rule);
      if (rule.polarity === 'negative' && here.length)
        return `negative affinity group ${rule.name}: ${names(here, rule)} is defined here`;
      if (rule.polarity === 'positive' && !here.length) {
        const elsewhere = hosts.filter((o) => o.id !== h.id && membersOn(o, rule).length);
        if (elsewhere.length)
          return `positive affinity group ${rule.name}: its VMs are on ${elsewhere.map((o) => o.name).join(', ')}`;
      }
    }
    return null;
  },
};

const hostChecks: SchedulingFilterFn = {
  name: SchedulingFilter.HostChecks,
  refuse: (h) => (h.checks?.length ? h.checks.join('; ') : null),
};

/** In order: the cheap facts first, the agent's answers last. */
export const FILTERS: SchedulingFilterFn[] = [
  status,
  cluster,
  memory,
  cpuCount,
  cpuModel,
  networksFilter,
  affinity,
  hostChecks,
];
