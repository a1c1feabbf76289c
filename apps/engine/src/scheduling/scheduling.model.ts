import type { AffinityPolarity, HostStatus, SchedulingPolicy } from '@kelpie/shared-types';
import type { VmNetworkNeed } from './network-filter';

/** Everything the scheduler knows about one host when it decides (no I/O past this point). */
export interface SchedHost {
  id: string;
  name: string;
  clusterId: string;
  status: HostStatus;
  /** Physical memory (null: the agent never said hello). */
  memoryMib: number | null;
  /** Memory of the VMs defined there (every status: a defined VM may start any time). */
  committedMib: number;
  /** Memory promised to it by decisions not yet carried out (an evacuation's earlier moves). */
  pendingMib: number;
  vmCount: number;
  /** The VMs defined there (for affinity). */
  vmIds: string[];
  cpuCount: number | null;
  virtualization: 'kvm' | 'tcg' | null;
  /** Guest CPU choices the host reported (null: not reported). */
  cpuModes: {
    hostModel: boolean;
    hostPassthrough: boolean;
    custom: string[];
    /** Features each unusable named model lacks there (absent: the agent did not say). */
    missingFeatures?: Record<string, string[]>;
  } | null;
  /** Problems the caller's own checks found (agent pre-checks); null: not asked. */
  checks: string[] | null;
  /** Bridges its agent last reported (null/absent: never reported). */
  bridges?: ReadonlySet<string> | null;
}

export interface SchedVm {
  id: string;
  name: string;
  clusterId: string;
  memoryMib: number;
  vcpus: number;
  /** The logical networks of its NICs (absent: none asked). */
  networks?: VmNetworkNeed[];
}

export interface SchedCluster {
  id: string;
  policy: SchedulingPolicy;
  /** A libvirt model name, `host-model` or `host-passthrough`; null: QEMU's default CPU. */
  cpuModel: string | null;
  /** Kept free on every host for the host itself. */
  reserveMib: number;
}

/** An affinity group as it concerns the VM being placed: the other members and where they are. */
export interface SchedRule {
  id: string;
  name: string;
  polarity: AffinityPolarity;
  enforcing: boolean;
  /** The other members' names by id (to name them in reasons). */
  others: Map<string, string>;
  /** The group's hosts' names by id: positive pins its VMs to them, negative keeps them off. */
  hosts: Map<string, string>;
}

export interface SchedulingInput {
  vm: SchedVm;
  cluster: SchedCluster;
  hosts: SchedHost[];
  rules: SchedRule[];
}
