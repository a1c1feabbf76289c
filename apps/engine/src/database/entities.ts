import { HostLeaseEntity } from '../ha/host-lease.entity';
import { AUTH_ENTITIES } from '../auth/auth.entities';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { DiskEntity } from '../disks/disk.entity';
import { EventEntity } from '../events/event.entity';
import { HostEntity } from '../hosts/host.entity';
import { HostNetworkStateEntity } from '../host-network-state/host-network-state.entity';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { VnicProfileEntity } from '../networks/vnic-profile.entity';
import { MacPoolEntity } from '../mac-pools/mac-pool.entity';
import {
  AffinityGroupEntity,
  AffinityGroupHostEntity,
  AffinityGroupVmEntity,
} from '../scheduling/affinity-group.entity';
import { HostPowerManagementEntity } from '../power-management/power-management.entity';
import { ScheduleEntity, ScheduleRunEntity } from '../schedules/schedule.entity';
import { ImageEntity } from '../images/image.entity';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainSecretEntity } from '../storage-domains/storage-domain-secret.entity';
import { StorageDomainHostEntity } from '../storage-lifecycle/storage-domain-host.entity';
import { TaskEntity } from '../tasks/task.entity';
import { TaskLockEntity } from '../tasks/task-lock.entity';
import { HostCredentialEntity } from '../trust/host-credential.entity';
import { VmEntity } from '../vms/vm.entity';
import { VmMigrationEntity } from '../vm-migration/vm-migration.entity';

/** Every TypeORM entity of the engine, registered in one place so the schema check sees them all. */
export const entities: (new () => object)[] = [
  ...AUTH_ENTITIES,
  DataCenterEntity,
  ClusterEntity,
  HostEntity,
  StorageDomainEntity,
  LogicalNetworkEntity,
  ClusterNetworkEntity,
  VmEntity,
  DiskEntity,
  VnicProfileEntity,
  NicEntity,
  MacPoolEntity,
  SnapshotEntity,
  TaskEntity,
  TaskLockEntity,
  EventEntity,
  VmMigrationEntity,
  HostNetworkStateEntity,
  StorageDomainHostEntity,
  HostCredentialEntity,
  AffinityGroupEntity,
  AffinityGroupVmEntity,
  AffinityGroupHostEntity,
  HostPowerManagementEntity,
  StorageDomainSecretEntity,
  HostLeaseEntity,
  ScheduleEntity,
  ScheduleRunEntity,
  ImageEntity,
];
