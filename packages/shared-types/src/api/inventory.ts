import type {
  DiskBus,
  DiskCache,
  DiskFormat,
  HostStatus,
  NetworkAttachment,
  NicModel,
  SnapshotType,
  StorageDomainStatus,
  StorageDomainType,
  SwitchType,
  VmStatus,
} from '../enums';
import type { HostCapabilities, VmBootSpec } from '../protocol';

interface Timestamps {
  createdAt: string;
  updatedAt: string;
}

export interface DataCenter extends Timestamps {
  id: string;
  name: string;
  description: string;
}

export const SchedulingPolicy = {
  EvenlyDistributed: 'evenly_distributed',
  PowerSaving: 'power_saving',
  /** Spread the number of running VMs: no host more than `maxSpread` VMs above another. */
  VmCount: 'vm_count',
  None: 'none',
} as const;
export type SchedulingPolicy = (typeof SchedulingPolicy)[keyof typeof SchedulingPolicy];

/** How VMs of a cluster migrate unless a migration asks otherwise. */
export interface MigrationPolicy {
  autoConverge: boolean;
  postCopy: boolean;
  compressed: boolean;
  /** null: no limit. */
  maxBandwidthMiBps: number | null;
  maxDowntimeMs: number;
}

export const DEFAULT_MIGRATION_POLICY: MigrationPolicy = {
  autoConverge: true,
  postCopy: false,
  compressed: false,
  maxBandwidthMiBps: null,
  maxDowntimeMs: 500,
};

/** When balancing thinks a cluster is out of balance, per policy (percentages of a host's memory /
 * of its CPUs: committed memory and the 1-minute load average). */
export interface SchedulingThresholds {
  /** Evenly distributed: a host above a high watermark is overloaded; VMs move to hosts below both low
   * watermarks, never pushing one above a high watermark. */
  evenly: {
    cpuHighPercent: number;
    cpuLowPercent: number;
    memoryHighPercent: number;
    memoryLowPercent: number;
  };
  /** Power saving: a host below `lowUtilizationPercent` is emptied onto hosts that stay at or below
   * `highUtilizationPercent`; empty hosts are reported as ones that can be powered down. */
  powerSaving: { lowUtilizationPercent: number; highUtilizationPercent: number };
  /** VM count: at most `maxSpread` more running VMs on one host than on another. */
  vmCount: { maxSpread: number };
}

export const DEFAULT_SCHEDULING_THRESHOLDS: SchedulingThresholds = {
  evenly: { cpuHighPercent: 80, cpuLowPercent: 60, memoryHighPercent: 80, memoryLowPercent: 60 },
  powerSaving: { lowUtilizationPercent: 20, highUtilizationPercent: 80 },
  vmCount: { maxSpread: 2 },
};

export interface Cluster extends Timestamps {
  id: string;
  name: string;
  description: string;
  datacenterId: string;
  /** libvirt CPU model VMs of the cluster get (null: host-model). */
  cpuModel: string | null;
  /** Machine type a new VM of the cluster gets when its create does not name one. */
  defaultMachineType: MachineType;
  /** Firmware a new VM of the cluster gets when its create does not name one. */
  defaultFirmware: Firmware;
  compatibilityLevel: string;
  schedulingPolicy: SchedulingPolicy;
  migrationPolicy: MigrationPolicy;
  /** Live migrations between the cluster's hosts carry the VM's memory and disks over TLS with the
   * engine-issued host certificates (`virsh migrate --tls`); false: plain TCP (trusted networks). */
  migrationEncrypted: boolean;
  /** How the cluster's hosts carry networks: Linux bridges or Open vSwitch. */
  switchType: SwitchType;
  /** Periodic balancing migrates VMs to bring the cluster within its policy's thresholds (off by default). */
  balancingEnabled: boolean;
  schedulingThresholds: SchedulingThresholds;
}

/** Latest load report of a host (from its heartbeat). */
export interface HostLoad {
  load1: number;
  memFreeKiB: number;
  memTotalKiB: number;
  at: string;
}

export interface Host extends Timestamps {
  id: string;
  name: string;
  description: string;
  clusterId: string;
  address: string;
  libvirtUri: string;
  status: HostStatus;
  statusReason: string | null;
  /** As the agent reported it in its hello (protocol `HostCapabilities`). */
  capabilities: HostCapabilities | null;
  lastHeartbeatAt: string | null;
  load: HostLoad | null;
  agentProtocolVersion: number | null;
  /** Set by enrollment over SSH (null for hosts registered without it). */
  sshPort: number | null;
  sshUser: string | null;
  /** The pinned host key (`<type> <base64>`) and its fingerprint: later connections refuse another key. */
  sshHostKey: string | null;
  sshHostKeyFingerprint: string | null;
}

/** Body of POST /hosts that enrolls over SSH (see the API doc): credentials are used once, never stored. */
export interface EnrollHostRequest {
  name: string;
  description?: string;
  clusterId: string;
  address: string;
  libvirtUri?: string;
  sshPort?: number;
  sshUser?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  expectedHostKeyFingerprint?: string;
}

/** Where a storage domain lives; which fields matter depends on the domain type. */
export interface StorageConnection {
  /** nfs */
  server?: string;
  export?: string;
  /** iscsi: portal `host[:port]` (default port 3260), target IQN */
  portal?: string;
  target?: string;
  lun?: number;
  /** iscsi: CHAP user name */
  chapUser?: string;
  /** iscsi: CHAP secret, write-only: sealed by the engine, never returned, defined on the hosts as a
   * private libvirt secret */
  chapSecret?: string;
  /** rbd: monitors `host[:port]` (default port 6789), Ceph pool */
  monitors?: string[];
  pool?: string;
  /** rbd: cephx user, without `client.` */
  user?: string;
  /** rbd: the cephx user's key, write-only: sealed by the engine, never returned, defined on the
   * hosts as a private libvirt secret */
  key?: string;
  /** lvm */
  volumeGroup?: string;
  /** mount options (nfs) */
  options?: string;
}

export interface StorageDomain extends Timestamps {
  id: string;
  name: string;
  description: string;
  datacenterId: string;
  type: StorageDomainType;
  connection: StorageConnection;
  /** Where hosts find the volumes (mount point or directory). */
  path: string;
  status: StorageDomainStatus;
  /** Why it is degraded (the failing hosts and their errors), null otherwise. */
  statusReason: string | null;
}

/** How one host of the datacenter sees a storage domain (reported by its agent). */
export interface StorageDomainHostStatus {
  storageDomainId: string;
  hostId: string;
  hostName: string;
  /** `active`: the pool runs on the host; `failed`: it should and does not (`error` says why). */
  status: 'active' | 'failed';
  capacityBytes: number | null;
  availableBytes: number | null;
  error: string | null;
  checkedAt: string;
}

export interface LogicalNetwork extends Timestamps {
  id: string;
  name: string;
  description: string;
  datacenterId: string;
  bridge: string;
  vlanId: number | null;
  mtu: number;
  vmNetwork: boolean;
}

export interface ClusterNetwork {
  clusterId: string;
  networkId: string;
  attachment: NetworkAttachment;
  createdAt: string;
}

export const BootDevice = { Hd: 'hd', Cdrom: 'cdrom', Network: 'network' } as const;
export type BootDevice = (typeof BootDevice)[keyof typeof BootDevice];

/** QEMU machine type: `pc` (i440FX, PCI, IDE) or `q35` (PCI Express, SATA; needed for Secure Boot). */
export const MachineType = { Pc: 'pc', Q35: 'q35' } as const;
export type MachineType = (typeof MachineType)[keyof typeof MachineType];

/** Guest firmware: SeaBIOS or UEFI (OVMF, with its variables in a per-VM NVRAM file on the host). */
export const Firmware = { Bios: 'bios', Uefi: 'uefi' } as const;
export type Firmware = (typeof Firmware)[keyof typeof Firmware];

/** What QEMU does when the guest stops feeding its watchdog (an emulated i6300esb): reset the guest,
 * power it off, pause it, or nothing (the expiry is still reported as a VM event). */
export const WatchdogAction = { Reset: 'reset', Poweroff: 'poweroff', Pause: 'pause', None: 'none' } as const;
export type WatchdogAction = (typeof WatchdogAction)[keyof typeof WatchdogAction];

/** Changes stored while the VM ran; they take effect at its next start. */
export interface PendingRestart {
  fields: string[];
  since: string;
}

export interface Vm extends Timestamps {
  /** Also the libvirt domain UUID. */
  id: string;
  name: string;
  description: string;
  datacenterId: string;
  clusterId: string;
  hostId: string | null;
  desiredStatus: VmStatus;
  status: VmStatus;
  statusReason: string | null;
  vcpus: number;
  memoryMib: number;
  maxMemoryMib: number;
  osType: string;
  /** Devices tried in order when `boot` is `disk` (a `cdrom` boot tries the CD-ROM first). */
  bootOrder: BootDevice[];
  machineType: MachineType;
  firmware: Firmware;
  /** UEFI Secure Boot (OVMF with Microsoft's keys enrolled; needs `uefi` and `q35`). */
  secureBoot: boolean;
  /** An i6300esb watchdog device with this action when it expires; null: no watchdog. */
  watchdogAction: WatchdogAction | null;
  graphicsVnc: boolean;
  isTemplate: boolean;
  sourceTemplateId: string | null;
  highlyAvailable: boolean;
  /** Order of HA restarts after a host is fenced (0–100, higher first). */
  haPriority: number;
  createdBy: string;
  /** Found on a host, not created by Kelpie. */
  external: boolean;
  pendingRestart: PendingRestart | null;
  /** VNC port on its host while it runs (null: stopped or no VNC). */
  graphicsPort: number | null;
  /** How the VM boots; null = from its disk. */
  boot: VmBootSpec | null;
  /** ISO in the CD-ROM drive; null = empty. */
  cdromIsoPath: string | null;
}

export interface Disk extends Timestamps {
  id: string;
  name: string;
  storageDomainId: string;
  volumePath: string;
  format: DiskFormat;
  virtualSizeBytes: number;
  allocationBytes: number;
  bus: DiskBus;
  cache: DiskCache;
  bootable: boolean;
  vmId: string | null;
  targetDev: string | null;
  /** When the volume was first created on storage (null: never). A provisioned disk whose volume is
   * gone is never re-created empty. */
  provisionedAt: string | null;
  /** The image the VM writes to when it is not `volumePath`: the overlay an external snapshot put
   * on top of it (merged back when the snapshot is deleted). A domain defined again uses it. */
  activeImagePath: string | null;
}

export interface Nic extends Timestamps {
  id: string;
  name: string;
  vmId: string;
  /** The network of its profile. */
  networkId: string;
  /** The vNIC profile it attaches to (a profile of `networkId`). */
  profileId: string;
  mac: string;
  model: NicModel;
  /** The guest sees its link (false: cable unplugged, `<link state='down'/>`). */
  linkUp: boolean;
}

/** One direction of a vNIC's traffic shaping, as libvirt's `<bandwidth>` takes it: average and peak
 * rate in KiB/s, burst in KiB. */
export interface NicQosLimit {
  averageKiBps: number;
  peakKiBps: number | null;
  burstKiB: number | null;
}

/** MAC addresses from `from` to `to`, both included. */
export interface MacRange {
  from: string;
  to: string;
}

/** Where the NICs of a datacenter's VMs get their MAC addresses (an explicit MAC may be outside). */
export interface MacPool {
  id: string;
  datacenterId: string;
  name: string;
  ranges: MacRange[];
  /** Addresses the ranges hold. */
  size: number;
  /** Of those, how many NICs use. */
  used: number;
  createdAt: string;
  updatedAt: string;
}

/** How VM NICs attach to a network: its QoS. Every network has a default profile (no QoS). */
export interface VnicProfile extends Timestamps {
  id: string;
  name: string;
  description: string;
  networkId: string;
  /** The profile a NIC given only a networkId attaches to; made with the network, not deletable. */
  isDefault: boolean;
  /** Traffic into the VM (libvirt's inbound: what the guest receives); null = unlimited. */
  inbound: NicQosLimit | null;
  /** Traffic out of the VM; null = unlimited. */
  outbound: NicQosLimit | null;
  /** Every frame of the network is copied to NICs using this profile (Open vSwitch: a mirror whose
   * output is the NIC's port, so the NIC only listens). */
  portMirroring: boolean;
}

export interface Snapshot {
  id: string;
  vmId: string;
  parentId: string | null;
  name: string;
  description: string;
  type: SnapshotType;
  withMemory: boolean;
  createdAt: string;
}
