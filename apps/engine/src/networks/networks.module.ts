import { Module } from '@nestjs/common';
import { NetworkRows } from '../crud/child-rows.port';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { ClustersModule } from '../clusters/clusters.module';
import { ClusterNetworkEntity, LogicalNetworkEntity } from './network.entity';
import { NetworksController } from './networks.controller';
import { ClusterNetworksController } from './cluster-networks.controller';
import { NetworksService } from './networks.service';
import { NetworkRepository } from './network.repository';
import { VnicProfileEntity } from './vnic-profile.entity';
import { VnicProfilesController } from './vnic-profiles.controller';
import { VnicProfilesService } from './vnic-profiles.service';
import { NetworkAccess } from '../auth/access-tree.port';

/** Logical networks of a datacenter, their attachment to clusters and their vNIC profiles. */
@Module({
  imports: [
    DataCentersModule,
    ClustersModule,
    TypeOrmModule.forFeature([LogicalNetworkEntity, ClusterNetworkEntity, VnicProfileEntity]),
  ],
  controllers: [NetworksController, ClusterNetworksController, VnicProfilesController],
  providers: [
    NetworksService,
    VnicProfilesService,
    NetworkRepository,
    { provide: NetworkAccess, useExisting: NetworkRepository },
    { provide: NetworkRows, useExisting: NetworkRepository },
  ],
  exports: [NetworksService, VnicProfilesService, NetworkRepository, TypeOrmModule],
})
export class NetworksModule {}
