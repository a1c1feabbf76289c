import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { ClustersModule } from '../clusters/clusters.module';
import { ClusterNetworkEntity, LogicalNetworkEntity } from './network.entity';
import { NetworksController } from './networks.controller';
import { ClusterNetworksController } from './cluster-networks.controller';
import { NetworksService } from './networks.service';
import { VnicProfileEntity } from './vnic-profile.entity';
import { VnicProfilesController } from './vnic-profiles.controller';
import { VnicProfilesService } from './vnic-profiles.service';

/** Logical networks of a datacenter, their attachment to clusters and their vNIC profiles. */
@Module({
  imports: [
    DataCentersModule,
    ClustersModule,
    TypeOrmModule.forFeature([LogicalNetworkEntity, ClusterNetworkEntity, VnicProfileEntity]),
  ],
  controllers: [NetworksController, ClusterNetworksController, VnicProfilesController],
  providers: [NetworksService, VnicProfilesService],
  exports: [NetworksService, VnicProfilesService, TypeOrmModule],
})
export class NetworksModule {}
