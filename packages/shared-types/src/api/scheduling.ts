import type { SchedulingPolicy } from './inventory';

/** The filters every placement runs, in order; the first that refuses a host names it. */
export const SchedulingFilter = {
  Status: 'status',
  Cluster: 'cluster',
  Memory: 'memory',
  CpuCount: 'cpu-count',
  CpuModel: 'cpu-model',
  Affinity: 'affinity',
  /** The host carries (reported a bridge of) each logical network the VM's NICs are on. */
  Networks: 'networks',
  /** What the caller asked the host's agent (storage paths, bridges, networks, migration limits). */
  HostChecks: 'host-checks',
} as const;
export type SchedulingFilter = (typeof SchedulingFilter)[keyof typeof SchedulingFilter];

/** One weight's opinion of a host: 0..100, multiplied by the weight's factor into the total. */
export interface SchedulingScore {
  weight: string;
  factor: number;
  score: number;
  why: string;
}

export interface HostSchedulingVerdict {
  hostId: string;
  hostName: string;
  /** null: the host passed every filter. */
  filteredBy: { filter: SchedulingFilter; reason: string } | null;
  scores: SchedulingScore[];
  total: number;
  chosen: boolean;
}

/** Where the scheduler would put a VM (or put it), and why, host by host. */
export interface SchedulingDecision {
  vmId: string;
  policy: SchedulingPolicy;
  hostId: string | null;
  hostName: string | null;
  /** One line: why this host, or each host's reason when none fits. */
  summary: string;
  hosts: HostSchedulingVerdict[];
}

export const AffinityPolarity = { Positive: 'positive', Negative: 'negative' } as const;
export type AffinityPolarity = (typeof AffinityPolarity)[keyof typeof AffinityPolarity];

/** VMs of one cluster kept together (positive) or apart (negative); `enforcing` makes it a filter,
 * otherwise a weight. A group with hosts is a VM↔host rule instead: positive pins its VMs to those
 * hosts, negative keeps them off them. */
export interface AffinityGroup {
  id: string;
  clusterId: string;
  name: string;
  description: string;
  polarity: AffinityPolarity;
  enforcing: boolean;
  vmIds: string[];
  /** Hosts of the cluster the VMs must run on (positive) or must not run on (negative); empty: none. */
  hostIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** One VM move of a balancing run. */
export interface BalanceMove {
  vmId: string;
  vmName: string;
  fromHostId: string;
  fromHostName: string;
  toHostId: string;
  toHostName: string;
  /** Why the VM moves (the threshold broken) and why to this host (the scheduler's summary). */
  reason: string;
}

/** A host as balancing sees it: running VMs, committed memory and CPU load as percentages. */
export interface BalanceHostState {
  hostId: string;
  hostName: string;
  runningVms: number;
  memoryPercent: number;
  /** The 1-minute load average per CPU, in percent (null: no heartbeat load yet). */
  cpuPercent: number | null;
  /** Over a high threshold, under a low one, or in between (`ok`); `excluded`: not Up, or involved in
   * a maintenance (`excludedBecause` says which). */
  state: 'over' | 'under' | 'ok' | 'excluded';
  /** Why balancing leaves an `excluded` host alone. */
  excludedBecause?: string;
}

/** What the next balancing run of a cluster would do (`GET /clusters/{id}/balance/plan`), or did. */
export interface BalancePlan {
  clusterId: string;
  policy: SchedulingPolicy;
  balancingEnabled: boolean;
  /** True: every host is within the policy's thresholds (false with no moves: none can help now). */
  withinThresholds: boolean;
  summary: string;
  hosts: BalanceHostState[];
  /** At most one batch, in the order they are started. */
  moves: BalanceMove[];
  /** VMs left alone because they moved within the cool-down. */
  coolingDown: string[];
  /** Power saving: hosts left without VMs (after the moves) that can be powered down. */
  powerDownCandidates: { hostId: string; hostName: string }[];
}

/** A VM that breaks an affinity group where it is defined now. */
export interface AffinityViolation {
  groupId: string;
  groupName: string;
  enforcing: boolean;
  vmId: string;
  vmName: string;
  hostId: string;
  hostName: string;
  reason: string;
}
