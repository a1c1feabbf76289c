import type { MigrationInterface } from 'typeorm';
import { Inventory1767225600000 } from './1767225600000-inventory';
import { VmGraphicsPort1767312000008 } from './1767312000008-vm-graphics-port';
import { VmLifecycle1767312000000 } from './1767312000000-vm-lifecycle';
import { VmMigration1767400000000 } from './1767400000000-vm-migration';
import { TaskLocks1767500000000 } from './1767500000000-task-locks';
import { TaskCheckpoint1767500000300 } from './1767500000300-task-checkpoint';
import { DiskProvisioned1767600000005 } from './1767600000005-disk-provisioned';
import { DiskActiveImage1767700000400 } from './1767700000400-disk-active-image';
import { HostSsh1767700000500 } from './1767700000500-host-ssh';
import { Auth1767700000600 } from './1767700000600-auth';
import { TaskOwnerGeneration1767700000800 } from './1767700000800-task-owner-generation';
import { HostCredential1767700001100 } from './1767700001100-host-credential';
import { StorageDomainHosts1767700001200 } from './1767700001200-storage-domain-hosts';
import { HostNetwork1767700001300 } from './1767700001300-host-network';
import { VmHaPriority1767700001400 } from './1767700001400-vm-ha-priority';
import { ClusterMigrationEncrypted1767700001700 } from './1767700001700-cluster-migration-encrypted';
import { StorageDomainSecret1767700001800 } from './1767700001800-storage-domain-secret';
import { ClusterSwitchType1767700001900 } from './1767700001900-cluster-switch-type';
import { HostPowerManagement1767700002000 } from './1767700002000-host-power-management';
import { AffinityGroups1767700002100 } from './1767700002100-affinity-groups';
import { OidcUsers1767700002200 } from './1767700002200-oidc-users';
import { VnicProfilesMacPools1767700002300 } from './1767700002300-vnic-profiles-mac-pools';
import { HostLease1767700002600 } from './1767700002600-host-lease';
import { Schedules1767700002700 } from './1767700002700-schedules';
import { Images1767700002800 } from './1767700002800-images';
import { BalancingAndHostAffinity1767700003000 } from './1767700003000-balancing-and-host-affinity';
import { NicDefinedSpec1767700003100 } from './1767700003100-nic-defined-spec';
import { MachineTypeAndFirmware1767700003900 } from './1767700003900-machine-type-and-firmware';
import { VmWatchdog1767700004300 } from './1767700004300-vm-watchdog';
import { VnicProfilePortMirroring1767700004400 } from './1767700004400-vnic-profile-port-mirroring';

/** Every migration, oldest first. The engine runs the pending ones at boot (`migrationsRun`). */
export const migrations: (new () => MigrationInterface)[] = [
  Inventory1767225600000,
  VmLifecycle1767312000000,
  VmGraphicsPort1767312000008,
  VmMigration1767400000000,
  TaskLocks1767500000000,
  TaskCheckpoint1767500000300,
  DiskProvisioned1767600000005,
  DiskActiveImage1767700000400,
  HostSsh1767700000500,
  Auth1767700000600,
  TaskOwnerGeneration1767700000800,
  HostCredential1767700001100,
  StorageDomainHosts1767700001200,
  HostNetwork1767700001300,
  VmHaPriority1767700001400,
  ClusterMigrationEncrypted1767700001700,
  StorageDomainSecret1767700001800,
  ClusterSwitchType1767700001900,
  HostPowerManagement1767700002000,
  AffinityGroups1767700002100,
  OidcUsers1767700002200,
  VnicProfilesMacPools1767700002300,
  HostLease1767700002600,
  Schedules1767700002700,
  Images1767700002800,
  BalancingAndHostAffinity1767700003000,
  NicDefinedSpec1767700003100,
  MachineTypeAndFirmware1767700003900,
  VmWatchdog1767700004300,
  VnicProfilePortMirroring1767700004400,
];
