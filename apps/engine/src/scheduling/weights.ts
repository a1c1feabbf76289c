import { SchedulingPolicy, SchedulingScore } from '@kelpie/shared-types';
import { hostRuleBroken, membersOn, uncommittedMib } from './filters';
import type { SchedCluster, SchedHost, SchedRule, SchedVm } from './scheduling.model';

export interface WeightContext {
  vm: SchedVm;
  cluster: SchedCluster;
  rules: SchedRule[];
}

/** A soft rule: how much it likes a host that passed every filter, 0..100. */
export interface SchedulingWeight {
  name: string;
  factor: number;
  score(host: SchedHost, ctx: WeightContext): { score: number; why: string };
}

const pct = (x: number) => Math.max(0, Math.min(100, Math.round(x * 100)));

/** Share of the host's memory still uncommitted once the VM is there. */
function freeShareAfter(h: SchedHost, ctx: WeightContext): number {
  const avail = uncommittedMib(h, ctx.cluster.reserveMib) ?? 0;
  return h.memoryMib ? (avail - ctx.vm.memoryMib) / h.memoryMib : 0;
}

const committedMemory = (h: SchedHost) => `${h.committedMib + h.pendingMib} MiB committed`;

/** Evenly distributed: the host with the most memory left after placing the VM... */
const spreadMemory: SchedulingWeight = {
  name: 'memory-spread',
  factor: 2,
  score: (h, ctx) => ({
    score: pct(freeShareAfter(h, ctx)),
    why: `${committedMemory(h)}, ${pct(freeShareAfter(h, ctx))}% free after`,
  }),
};

/** ...and the fewest VMs (spreads a batch of small VMs too). */
const spreadVms: SchedulingWeight = {
  name: 'vm-count-spread',
  factor: 1,
  score: (h) => ({ score: Math.round(100 / (1 + h.vmCount)), why: `${h.vmCount} VM(s)` }),
};

/** Power saving: fill the busiest host that still fits, so others stay empty (can be powered down). */
const packMemory: SchedulingWeight = {
  name: 'memory-pack',
  factor: 2,
  score: (h, ctx) => ({
    score: 100 - pct(freeShareAfter(h, ctx)),
    why: `${committedMemory(h)}, ${pct(freeShareAfter(h, ctx))}% free after`,
  }),
};

const keepEmptyHostsEmpty: SchedulingWeight = {
  name: 'keep-empty-hosts-empty',
  factor: 3,
  score: (h) =>
    h.vmCount + h.pendingMib > 0
      ? { score: 100, why: `already runs ${h.vmCount} VM(s)` }
      : { score: 0, why: 'empty: left empty if possible' },
};

/** Soft (non-enforcing) affinity groups: together or apart when the hosts allow it. */
const softAffinity: SchedulingWeight = {
  name: 'affinity',
  factor: 5,
  score: (h, { rules }) => {
    const soft = rules.filter((r) => !r.enforcing);
    if (!soft.length) return { score: 100, why: 'no soft affinity group' };
    const kept = soft.filter((r) => keepsSoftRule(h, r));
    const broken = soft.filter((r) => !kept.includes(r)).map((r) => `${r.polarity} ${r.name}`);
    return {
      score: pct(kept.length / soft.length),
      why: broken.length ? `would break ${broken.join(', ')}` : `keeps ${soft.map((r) => r.name).join(', ')}`,
    };
  },
};

/** Where the rule has hosts, they decide (pinned to / kept off them); else the other members do. */
function keepsSoftRule(h: SchedHost, r: SchedRule): boolean {
  if (r.hosts.size) return hostRuleBroken(h, r) === null;
  return membersOn(h, r).length > 0 === (r.polarity === 'positive');
}

export const POLICY_WEIGHTS: Record<SchedulingPolicy, SchedulingWeight[]> = {
  [SchedulingPolicy.EvenlyDistributed]: [spreadMemory, spreadVms, softAffinity],
  [SchedulingPolicy.PowerSaving]: [packMemory, keepEmptyHostsEmpty, softAffinity],
  [SchedulingPolicy.VmCount]: [{ ...spreadVms, factor: 3 }, softAffinity],
  [SchedulingPolicy.None]: [softAffinity],
};

export function scoreHost(h: SchedHost, ctx: WeightContext): { scores: SchedulingScore[]; total: number } {
  const scores = POLICY_WEIGHTS[ctx.cluster.policy].map((w) => {
    const { score, why } = w.score(h, ctx);
    return { weight: w.name, factor: w.factor, score, why };
  });
  return { scores, total: scores.reduce((sum, s) => sum + s.factor * s.score, 0) };
}
