/** Status and kind enums shared by engine, agent and web. String values are what the API and the
 * database carry, so they never change meaning once released. */

export const HostStatus = {
  Installing: 'installing',
  Up: 'up',
  NonResponsive: 'non_responsive',
  /** Connected, but missing something the cluster requires (a required network, an active storage
   * domain of its datacenter it cannot reach): no new VMs are placed on it, running ones are
   * untouched; `statusReason` says what is missing. */
  NonOperational: 'non_operational',
  PreparingForMaintenance: 'preparing_for_maintenance',
  Maintenance: 'maintenance',
  Error: 'error',
} as const;
export type HostStatus = (typeof HostStatus)[keyof typeof HostStatus];

export const VmStatus = {
  Down: 'down',
  Starting: 'starting',
  Up: 'up',
  Paused: 'paused',
  PoweringDown: 'powering_down',
  RebootInProgress: 'reboot_in_progress',
  MigratingFrom: 'migrating_from',
  MigratingTo: 'migrating_to',
  Suspended: 'suspended',
  Crashed: 'crashed',
  Unknown: 'unknown',
} as const;
export type VmStatus = (typeof VmStatus)[keyof typeof VmStatus];

export const TaskStatus = {
  Queued: 'queued',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
  Interrupted: 'interrupted',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export const EventSeverity = { Info: 'info', Warning: 'warning', Error: 'error' } as const;
export type EventSeverity = (typeof EventSeverity)[keyof typeof EventSeverity];

/** `dir`: a shared POSIX directory (mounted the same on every host by other means); `local`: a
 * directory of each host's own; `nfs`: mounted by libvirt (`netfs` pool). iscsi/rbd/lvm: later. */
export const StorageDomainType = {
  Dir: 'dir',
  Local: 'local',
  Nfs: 'nfs',
  Iscsi: 'iscsi',
  Rbd: 'rbd',
  Lvm: 'lvm',
} as const;
export type StorageDomainType = (typeof StorageDomainType)[keyof typeof StorageDomainType];

/** Lifecycle of a storage domain: detached → (attach) inactive → (activate) active | degraded →
 * (maintenance) maintenance → (detach) detached. `degraded`: active, but some hosts of its datacenter
 * cannot use it (`statusReason` names them). `unknown`: a domain from before the lifecycle existed,
 * whose pools are made on demand when a disk needs one. */
export const StorageDomainStatus = {
  Detached: 'detached',
  Inactive: 'inactive',
  Active: 'active',
  Degraded: 'degraded',
  Maintenance: 'maintenance',
  Unknown: 'unknown',
} as const;
export type StorageDomainStatus = (typeof StorageDomainStatus)[keyof typeof StorageDomainStatus];

export const DiskFormat = { Qcow2: 'qcow2', Raw: 'raw' } as const;
export type DiskFormat = (typeof DiskFormat)[keyof typeof DiskFormat];

export const DiskBus = { Virtio: 'virtio', Sata: 'sata', Scsi: 'scsi', Ide: 'ide' } as const;
export type DiskBus = (typeof DiskBus)[keyof typeof DiskBus];

export const DiskCache = {
  None: 'none',
  Writethrough: 'writethrough',
  Writeback: 'writeback',
  Directsync: 'directsync',
  Unsafe: 'unsafe',
} as const;
export type DiskCache = (typeof DiskCache)[keyof typeof DiskCache];

export const NicModel = { Virtio: 'virtio', E1000: 'e1000', Rtl8139: 'rtl8139' } as const;
export type NicModel = (typeof NicModel)[keyof typeof NicModel];

export const SnapshotType = { Internal: 'internal', External: 'external' } as const;
export type SnapshotType = (typeof SnapshotType)[keyof typeof SnapshotType];

export const NetworkAttachment = { Required: 'required', Optional: 'optional' } as const;
export type NetworkAttachment = (typeof NetworkAttachment)[keyof typeof NetworkAttachment];

/** How a cluster's hosts carry logical networks (as oVirt's cluster "switch type"): one Linux bridge
 * per network, or Open vSwitch with networks as (fake) bridges of one OVS bridge per NIC. */
export const SwitchType = { LinuxBridge: 'linux_bridge', Ovs: 'ovs' } as const;
export type SwitchType = (typeof SwitchType)[keyof typeof SwitchType];

export const Virtualization = { Kvm: 'kvm', Tcg: 'tcg' } as const;
export type Virtualization = (typeof Virtualization)[keyof typeof Virtualization];

export const values = <T extends Record<string, string>>(e: T): [T[keyof T], ...T[keyof T][]] =>
  Object.values(e) as [T[keyof T], ...T[keyof T][]];
