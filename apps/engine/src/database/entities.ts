import { ClusterEntity } from '../clusters/cluster.entity';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { DiskEntity } from '../disks/disk.entity';
import { EventEntity } from '../events/event.entity';
import { HostEntity } from '../hosts/host.entity';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { TaskEntity } from '../tasks/task.entity';
import { TaskLockEntity } from '../tasks/task-lock.entity';
import { VmEntity } from '../vms/vm.entity';
import { VmMigrationEntity } from '../vm-migration/vm-migration.entity';

/** Every TypeORM entity of the engine, registered in one place so the schema check sees them all. */
export const entities: (new () => object)[] = [
  DataCenterEntity,
  ClusterEntity,
  HostEntity,
  StorageDomainEntity,
  LogicalNetworkEntity,
  ClusterNetworkEntity,
  VmEntity,
  DiskEntity,
  NicEntity,
  SnapshotEntity,
  TaskEntity,
  TaskLockEntity,
  EventEntity,
  VmMigrationEntity,
];
