import { HostSchedulingVerdict, SchedulingDecision, SchedulingPolicy } from '@kelpie/shared-types';
import { FILTERS } from './filters';
import type { SchedHost, SchedulingInput } from './scheduling.model';
import { scoreHost } from './weights';

/**
 * The one placement decision (start, create, migration, evacuation, HA restart): every host goes
 * through the filters in order (the first refusal is its reason), the survivors are scored by the
 * cluster policy's weights, the highest total wins (ties: by name, so the answer is stable).
 * Pure: the facts come in, the decision with its explanation comes out.
 */
export function decide(input: SchedulingInput): SchedulingDecision {
  const { vm, cluster, hosts, rules } = input;
  const fctx = { vm, cluster, rules, hosts };
  const verdicts: HostSchedulingVerdict[] = hosts.map((h) => {
    for (const f of FILTERS) {
      const reason = f.refuse(h, fctx);
      if (reason !== null)
        return verdict(h, { filteredBy: { filter: f.name, reason }, scores: [], total: 0 });
    }
    return verdict(h, { filteredBy: null, ...scoreHost(h, { vm, cluster, rules }) });
  });
  const ranked = verdicts
    .filter((v) => v.filteredBy === null)
    .sort((a, b) => b.total - a.total || a.hostName.localeCompare(b.hostName));
  const best = ranked[0];
  const base = { vmId: vm.id, policy: cluster.policy, hosts: verdicts };
  if (!best) {
    const why = verdicts.map((v) => `${v.hostName}: ${v.filteredBy!.reason}`).join('; ');
    return {
      ...base,
      hostId: null,
      hostName: null,
      summary: hosts.length ? `no host fits VM ${vm.name} (${why})` : 'the cluster has no hosts to consider',
    };
  }
  best.chosen = true;
  const host = hosts.find((h) => h.id === best.hostId)!;
  return {
    ...base,
    hostId: host.id,
    hostName: host.name,
    summary: `${host.name}: ${policyReason(cluster.policy, host)}${among(ranked)}`,
  };
}

function verdict(
  h: SchedHost,
  v: Pick<HostSchedulingVerdict, 'filteredBy' | 'scores' | 'total'>,
): HostSchedulingVerdict {
  return { hostId: h.id, hostName: h.name, ...v, chosen: false };
}

function policyReason(policy: SchedulingPolicy, h: SchedHost): string {
  const load = `(${h.committedMib + h.pendingMib} MiB, ${h.vmCount} VM(s))`;
  switch (policy) {
    case SchedulingPolicy.EvenlyDistributed:
      return `least committed memory ${load}`;
    case SchedulingPolicy.PowerSaving:
      return `power saving packs VMs on the busiest host that fits ${load}`;
    case SchedulingPolicy.VmCount:
      return `fewest running VMs ${load}`;
    case SchedulingPolicy.None:
      return `first fitting host by name (policy none) ${load}`;
  }
}

function among(ranked: HostSchedulingVerdict[]): string {
  if (ranked.length === 1) return ' (the only fitting host)';
  return ` among ${ranked.length} fitting hosts (scores: ${ranked.map((v) => `${v.hostName} ${v.total}`).join(', ')})`;
}
