import {
  BalanceHostState,
  BalanceMove,
  BalancePlan,
  HostStatus,
  SchedulingPolicy,
  SchedulingThresholds,
  statusPhrase,
} from '@kelpie/shared-types';
import { decide } from '../scheduling/decide';
import type { SchedCluster, SchedHost, SchedRule, SchedVm } from '../scheduling/scheduling.model';

/** A running VM balancing may move, with what the scheduler needs to place it. */
export interface BalanceVm extends SchedVm {
  hostId: string;
  rules: SchedRule[];
}

/** A host as the planner sees it: the scheduler's facts plus its 1-minute load average. */
export interface BalanceHost extends SchedHost {
  load1: number | null;
}

export interface BalanceInput {
  cluster: SchedCluster & { thresholds: SchedulingThresholds; balancingEnabled: boolean };
  hosts: BalanceHost[];
  /** The cluster's running VMs (only they can be live-migrated). */
  running: BalanceVm[];
  /** VMs moved within the cool-down: never moved again by this plan. */
  coolingDown: ReadonlySet<string>;
  /** At most this many moves. */
  batch: number;
  /** Hosts involved in a maintenance (being evacuated, or still to be in a rolling maintenance) by
   * id, with why: neither a source nor a target until it ends. */
  paused?: ReadonlyMap<string, string>;
}

/** What one policy wants next: the hosts to take a VM from (in order), which hosts may receive it,
 * and why the VM moves. null: the cluster is within the policy's thresholds. */
interface Step {
  sources: Sim[];
  accepts(target: Sim, vm: BalanceVm, source: Sim): boolean;
  why(source: Sim): string;
  /** Try VMs biggest first (memory pressure) instead of by name. */
  biggestFirst?: boolean;
}

/** A host during planning: its facts change with every planned move. */
interface Sim {
  facts: BalanceHost;
  running: BalanceVm[];
  cpuLoad: number | null;
  /** Involved in a maintenance: balancing leaves it alone (see BalanceInput.paused). */
  paused: boolean;
}

const pct = (x: number) => Math.round(x * 100);
/** Up and not paused for a maintenance: a host balancing may take VMs from or give VMs to. */
const up = (s: Sim) => s.facts.status === HostStatus.Up && !s.paused;
const memPct = (s: Sim, extraMib = 0) =>
  s.facts.memoryMib ? pct((s.facts.committedMib + extraMib) / s.facts.memoryMib) : 100;
const cpuPct = (s: Sim): number | null =>
  s.cpuLoad === null || !s.facts.cpuCount ? null : pct(s.cpuLoad / s.facts.cpuCount);
/** Busiest of memory and CPU: what power saving compares with its thresholds. */
const utilisation = (s: Sim, extraMib = 0) => Math.max(memPct(s, extraMib), cpuPct(s) ?? 0);
const byName = (a: Sim, b: Sim) => a.facts.name.localeCompare(b.facts.name);

/**
 * Plans the next batch of live migrations that bring a cluster within its policy's thresholds. Each
 * move is placed by the one scheduler (`decide`) among the hosts the policy allows, so every filter —
 * memory, CPU model, networks, affinity groups with their hosts — holds for balancing as for any other
 * placement. A move is planned on the facts as the earlier moves of the batch leave them. Pure.
 */
export function planBalance(input: BalanceInput): BalancePlan {
  const { cluster } = input;
  const sims: Sim[] = input.hosts
    .map((h) => ({
      facts: { ...h, vmIds: [...h.vmIds] },
      running: input.running.filter((v) => v.hostId === h.id),
      cpuLoad: h.load1,
      paused: input.paused?.has(h.id) ?? false,
    }))
    .sort(byName);
  const moved = new Set<string>();
  const moves: BalanceMove[] = [];
  let reason = '';
  const before = nextStep(cluster.policy, cluster.thresholds, sims.filter(up));
  while (moves.length < input.batch) {
    const step = nextStep(cluster.policy, cluster.thresholds, sims.filter(up));
    if (!step) break;
    reason ||= step.why(step.sources[0]!);
    const move = firstMove(step, sims, input, moved);
    if (!move) break;
    moves.push(move);
  }
  const after = nextStep(cluster.policy, cluster.thresholds, sims.filter(up));
  return {
    clusterId: cluster.id,
    policy: cluster.policy,
    balancingEnabled: cluster.balancingEnabled,
    withinThresholds: before === null,
    summary: summary(cluster.policy, moves, reason, after),
    hosts: input.hosts.map((h) => hostState(h, input, cluster.thresholds)),
    moves,
    coolingDown: input.running.filter((v) => input.coolingDown.has(v.id)).map((v) => v.name),
    powerDownCandidates: cluster.policy === SchedulingPolicy.PowerSaving ? powerDown(sims.filter(up)) : [],
  };
}

/** Each policy as the summaries and move reasons say it (they are read by people: portal, tasks). */
const POLICY_WORDS: Record<SchedulingPolicy, string> = {
  [SchedulingPolicy.None]: 'no',
  [SchedulingPolicy.EvenlyDistributed]: 'evenly distributed',
  [SchedulingPolicy.PowerSaving]: 'power saving',
  [SchedulingPolicy.VmCount]: 'VM count',
};

function summary(policy: SchedulingPolicy, moves: BalanceMove[], reason: string, after: Step | null) {
  if (policy === SchedulingPolicy.None) return 'no scheduling policy: balancing never moves VMs';
  if (!moves.length && !reason) return `every host is within the ${POLICY_WORDS[policy]} policy's thresholds`;
  if (!moves.length) return `${reason}, but no VM can move (each host's reason is in a placement preview)`;
  const rest = after ? '; more moves follow in later runs' : '';
  return `${moves.length} move(s): ${reason}${rest}`;
}

/** The first VM of the first source that the scheduler can place on an accepted host; applied to the sims. */
function firstMove(step: Step, sims: Sim[], input: BalanceInput, moved: Set<string>): BalanceMove | null {
  const { cluster } = input;
  for (const source of step.sources) {
    const candidates = source.running
      .filter((v) => !moved.has(v.id) && !input.coolingDown.has(v.id))
      .sort((a, b) =>
        step.biggestFirst
          ? b.memoryMib - a.memoryMib || a.name.localeCompare(b.name)
          : a.name.localeCompare(b.name),
      );
    for (const vm of candidates) {
      const targets = sims.filter((t) => t !== source && up(t) && step.accepts(t, vm, source));
      if (!targets.length) continue;
      const d = decide({ vm, cluster, hosts: targets.map((t) => t.facts), rules: vm.rules });
      if (!d.hostId) continue;
      const target = sims.find((t) => t.facts.id === d.hostId)!;
      const why = step.why(source);
      apply(vm, source, target);
      moved.add(vm.id);
      return {
        vmId: vm.id,
        vmName: vm.name,
        fromHostId: source.facts.id,
        fromHostName: source.facts.name,
        toHostId: target.facts.id,
        toHostName: target.facts.name,
        reason: `${why}; to ${d.summary}`,
      };
    }
  }
  return null;
}

function apply(vm: BalanceVm, source: Sim, target: Sim): void {
  // The CPU a VM uses is not measured per VM: its host's load is shared evenly among its running VMs.
  const share = source.cpuLoad !== null && source.running.length ? source.cpuLoad / source.running.length : 0;
  if (source.cpuLoad !== null) source.cpuLoad -= share;
  if (target.cpuLoad !== null) target.cpuLoad += share;
  source.running = source.running.filter((v) => v.id !== vm.id);
  target.running = [...target.running, { ...vm, hostId: target.facts.id }];
  source.facts.vmIds = source.facts.vmIds.filter((id) => id !== vm.id);
  target.facts.vmIds = [...target.facts.vmIds, vm.id];
  source.facts.committedMib -= vm.memoryMib;
  target.facts.committedMib += vm.memoryMib;
  source.facts.vmCount -= 1;
  target.facts.vmCount += 1;
}

function nextStep(policy: SchedulingPolicy, t: SchedulingThresholds, hosts: Sim[]): Step | null {
  switch (policy) {
    case SchedulingPolicy.VmCount:
      return vmCountStep(t.vmCount.maxSpread, hosts);
    case SchedulingPolicy.EvenlyDistributed:
      return evenlyStep(t.evenly, hosts);
    case SchedulingPolicy.PowerSaving:
      return powerSavingStep(t.powerSaving, hosts);
    case SchedulingPolicy.None:
      return null;
  }
}

function vmCountStep(maxSpread: number, hosts: Sim[]): Step | null {
  if (hosts.length < 2) return null;
  const n = (s: Sim) => s.running.length;
  const fewest = Math.min(...hosts.map(n));
  const sources = hosts.filter((s) => n(s) - fewest > maxSpread).sort((a, b) => n(b) - n(a) || byName(a, b));
  if (!sources.length) return null;
  const least = hosts.filter((s) => n(s) === fewest).sort(byName)[0]!;
  return {
    sources,
    // Only where it narrows the spread: the receiver ends with fewer VMs than the sender had.
    accepts: (t, _vm, s) => n(t) + 1 < n(s),
    why: (s) =>
      `VM count: ${s.facts.name} runs ${n(s)} VMs, ${least.facts.name} ${fewest} (spread ${n(s) - fewest} > ${maxSpread})`,
  };
}

function evenlyStep(t: SchedulingThresholds['evenly'], hosts: Sim[]): Step | null {
  const overBy = (s: Sim): string | null => {
    const cpu = cpuPct(s);
    if (memPct(s) > t.memoryHighPercent) return `committed memory ${memPct(s)}% > ${t.memoryHighPercent}%`;
    if (cpu !== null && cpu > t.cpuHighPercent) return `CPU load ${cpu}% > ${t.cpuHighPercent}%`;
    return null;
  };
  const sources = hosts
    .filter((s) => overBy(s) !== null)
    .sort((a, b) => memPct(b) - memPct(a) || byName(a, b));
  if (!sources.length) return null;
  return {
    sources,
    biggestFirst: true,
    accepts: (h, vm) =>
      memPct(h) < t.memoryLowPercent &&
      (cpuPct(h) ?? 0) < t.cpuLowPercent &&
      memPct(h, vm.memoryMib) <= t.memoryHighPercent,
    why: (s) => `evenly distributed: ${s.facts.name} is over its high watermark (${overBy(s)})`,
  };
}

function powerSavingStep(t: SchedulingThresholds['powerSaving'], hosts: Sim[]): Step | null {
  const over = hosts.filter((s) => utilisation(s) > t.highUtilizationPercent);
  const fits = (h: Sim, vm: BalanceVm) => utilisation(h, vm.memoryMib) <= t.highUtilizationPercent;
  if (over.length)
    return {
      sources: over.sort((a, b) => utilisation(b) - utilisation(a) || byName(a, b)),
      biggestFirst: true,
      accepts: (h, vm) => fits(h, vm),
      why: (s) =>
        `power saving: ${s.facts.name} is over its high utilisation (${utilisation(s)}% > ${t.highUtilizationPercent}%)`,
    };
  // The least used non-empty host is emptied onto busier ones, if all of its VMs fit there.
  const busier = (h: Sim, s: Sim) =>
    h.running.length > s.running.length || (h.running.length === s.running.length && byName(h, s) < 0);
  const sources = hosts
    .filter((s) => s.running.length && utilisation(s) < t.lowUtilizationPercent)
    .filter((s) => hosts.some((h) => h !== s && busier(h, s)))
    .sort((a, b) => a.running.length - b.running.length || utilisation(a) - utilisation(b) || byName(b, a));
  if (!sources.length) return null;
  return {
    sources,
    accepts: (h, vm, s) => busier(h, s) && fits(h, vm),
    why: (s) =>
      `power saving: ${s.facts.name} is under its low utilisation (${utilisation(s)}% < ${t.lowUtilizationPercent}%), emptied so it can be powered down`,
  };
}

/** Hosts with no running VMs left (the first host by name always stays on). */
function powerDown(hosts: Sim[]): { hostId: string; hostName: string }[] {
  const empty = hosts.filter((s) => !s.running.length);
  const keep = empty.length === hosts.length ? empty.slice(1) : empty;
  return keep.map((s) => ({ hostId: s.facts.id, hostName: s.facts.name }));
}

function hostState(h: BalanceHost, input: BalanceInput, t: SchedulingThresholds): BalanceHostState {
  const paused = input.paused?.get(h.id);
  const sim: Sim = {
    facts: h,
    running: input.running.filter((v) => v.hostId === h.id),
    cpuLoad: h.load1,
    paused: !!paused,
  };
  const base = {
    hostId: h.id,
    hostName: h.name,
    runningVms: sim.running.length,
    memoryPercent: memPct(sim),
    cpuPercent: cpuPct(sim),
  };
  if (paused) return { ...base, state: 'excluded', excludedBecause: paused };
  if (!up(sim)) return { ...base, state: 'excluded', excludedBecause: `host is ${statusPhrase(h.status)}` };
  const [high, low] = stateBounds(input.cluster.policy, t, sim, input);
  return { ...base, state: high ? 'over' : low ? 'under' : 'ok' };
}

function stateBounds(policy: SchedulingPolicy, t: SchedulingThresholds, s: Sim, input: BalanceInput) {
  switch (policy) {
    case SchedulingPolicy.EvenlyDistributed:
      return [
        memPct(s) > t.evenly.memoryHighPercent || (cpuPct(s) ?? 0) > t.evenly.cpuHighPercent,
        memPct(s) < t.evenly.memoryLowPercent && (cpuPct(s) ?? 0) < t.evenly.cpuLowPercent,
      ];
    case SchedulingPolicy.PowerSaving:
      return [
        utilisation(s) > t.powerSaving.highUtilizationPercent,
        utilisation(s) < t.powerSaving.lowUtilizationPercent,
      ];
    case SchedulingPolicy.VmCount: {
      const counts = input.hosts
        .filter((h) => h.status === HostStatus.Up && !input.paused?.has(h.id))
        .map((h) => input.running.filter((v) => v.hostId === h.id).length);
      const n = s.running.length;
      return [n - Math.min(...counts) > t.vmCount.maxSpread, Math.max(...counts) - n > t.vmCount.maxSpread];
    }
    case SchedulingPolicy.None:
      return [false, false];
  }
}
