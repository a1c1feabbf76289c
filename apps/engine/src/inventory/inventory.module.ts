import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClustersController } from '../clusters/clusters.controller';
import { ClustersService } from '../clusters/clusters.service';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { DataCentersController } from '../datacenters/datacenters.controller';
import { DataCentersService } from '../datacenters/datacenters.service';
import { DiskEntity } from '../disks/disk.entity';
import { DisksController } from '../disks/disks.controller';
import { DisksService } from '../disks/disks.service';
import { HostEntity } from '../hosts/host.entity';
import { HostsController } from '../hosts/hosts.controller';
import { HostsService } from '../hosts/hosts.service';
import { ClusterNetworksController } from '../networks/cluster-networks.controller';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { NetworksController } from '../networks/networks.controller';
import { NetworksService } from '../networks/networks.service';
import { NicEntity } from '../nics/nic.entity';
import { NicsController } from '../nics/nics.controller';
import { NicsService } from '../nics/nics.service';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { SnapshotsController } from '../snapshots/snapshots.controller';
import { SnapshotsService } from '../snapshots/snapshots.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainsController } from '../storage-domains/storage-domains.controller';
import { StorageDomainsService } from '../storage-domains/storage-domains.service';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';

export const INVENTORY_ENTITIES = [
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
];

const SERVICES = [
  DataCentersService,
  ClustersService,
  HostsService,
  StorageDomainsService,
  NetworksService,
  VmsService,
  DisksService,
  NicsService,
  SnapshotsService,
];

/** The inventory: one module so services can read each other's tables; one folder per resource. */
@Module({
  imports: [TypeOrmModule.forFeature(INVENTORY_ENTITIES)],
  controllers: [
    DataCentersController,
    ClustersController,
    ClusterNetworksController,
    HostsController,
    StorageDomainsController,
    NetworksController,
    DisksController,
    NicsController,
    SnapshotsController,
  ],
  providers: SERVICES,
  exports: [...SERVICES, TypeOrmModule],
})
export class InventoryModule {}
