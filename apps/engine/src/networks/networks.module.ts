import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { ClustersModule } from '../clusters/clusters.module';
import { ClusterNetworkEntity, LogicalNetworkEntity } from './network.entity';
import { NetworksController } from './networks.controller';
import { ClusterNetworksController } from './cluster-networks.controller';
import { NetworksService } from './networks.service';

/** Logical networks of a datacenter and their attachment to clusters. */
@Module({
  imports: [
    DataCentersModule,
    ClustersModule,
    TypeOrmModule.forFeature([LogicalNetworkEntity, ClusterNetworkEntity]),
  ],
  controllers: [NetworksController, ClusterNetworksController],
  providers: [NetworksService],
  exports: [NetworksService, TypeOrmModule],
})
export class NetworksModule {}
