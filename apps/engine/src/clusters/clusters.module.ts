import { Module } from '@nestjs/common';
import { ClusterRows } from '../crud/child-rows.port';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { ClusterEntity } from './cluster.entity';
import { ClusterRepository } from './cluster.repository';
import { ClustersController } from './clusters.controller';
import { ClustersService } from './clusters.service';
import { ClusterAccess } from '../auth/access-tree.port';

/** Clusters of a datacenter: CPU model, scheduling and migration policy. */
@Module({
  imports: [DataCentersModule, TypeOrmModule.forFeature([ClusterEntity])],
  controllers: [ClustersController],
  providers: [
    ClustersService,
    ClusterRepository,
    { provide: ClusterAccess, useExisting: ClusterRepository },
    { provide: ClusterRows, useExisting: ClusterRepository },
  ],
  exports: [ClustersService, ClusterRepository, TypeOrmModule],
})
export class ClustersModule {}
