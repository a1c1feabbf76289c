import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { DisksModule } from '../disks/disks.module';
import { HostsModule } from '../hosts/hosts.module';
import { NetworksModule } from '../networks/networks.module';
import { NicsModule } from '../nics/nics.module';
import { SnapshotsModule } from '../snapshots/snapshots.module';
import { StorageDomainsModule } from '../storage-domains/storage-domains.module';
import { VmsModule } from '../vms/vms.module';

const RESOURCE_MODULES = [
  DataCentersModule,
  ClustersModule,
  HostsModule,
  StorageDomainsModule,
  NetworksModule,
  VmsModule,
  DisksModule,
  NicsModule,
  SnapshotsModule,
];

/** The whole inventory for features that work across it (VM operations, migration, agents…): each
 * resource folder has its own module; this one only imports and re-exports them. A feature that needs
 * one or two resources may import their modules instead. */
@Module({ imports: RESOURCE_MODULES, exports: RESOURCE_MODULES })
export class InventoryModule {}
