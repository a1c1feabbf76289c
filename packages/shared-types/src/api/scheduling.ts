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
 * otherwise a weight. */
export interface AffinityGroup {
  id: string;
  clusterId: string;
  name: string;
  description: string;
  polarity: AffinityPolarity;
  enforcing: boolean;
  vmIds: string[];
  createdAt: string;
  updatedAt: string;
}
