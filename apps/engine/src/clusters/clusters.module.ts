import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { ClusterEntity } from './cluster.entity';
import { ClustersController } from './clusters.controller';
import { ClustersService } from './clusters.service';

/** Clusters of a datacenter: CPU model, scheduling and migration policy. */
@Module({
  imports: [DataCentersModule, TypeOrmModule.forFeature([ClusterEntity])],
  controllers: [ClustersController],
  providers: [ClustersService],
  exports: [ClustersService, TypeOrmModule],
})
export class ClustersModule {}
