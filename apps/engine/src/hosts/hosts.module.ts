import { Module } from '@nestjs/common';
import { HostRows } from '../crud/child-rows.port';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClusterHostsPort } from '../clusters/cluster-hosts.port';
import { ClustersModule } from '../clusters/clusters.module';
import { HostEntity } from './host.entity';
import { HostsService } from './hosts.service';
import { HostRepository } from './host.repository';
import { HostAccess } from '../auth/access-tree.port';

/** Host records (the /hosts routes are host-enrollment's: adding a host reaches it over SSH). */
@Module({
  imports: [ClustersModule, TypeOrmModule.forFeature([HostEntity])],
  controllers: [],
  providers: [
    HostsService,
    HostRepository,
    { provide: HostAccess, useExisting: HostRepository },
    { provide: ClusterHostsPort, useExisting: HostRepository },
    { provide: HostRows, useExisting: HostRepository },
  ],
  exports: [HostsService, HostRepository, ClusterHostsPort, TypeOrmModule],
})
export class HostsModule {}
