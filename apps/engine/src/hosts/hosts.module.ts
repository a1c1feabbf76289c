import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersModule } from '../clusters/clusters.module';
import { HostEntity } from './host.entity';
import { HostsService } from './hosts.service';
import { HostRepository } from './host.repository';

/** Host records (the /hosts routes are host-enrollment's: adding a host reaches it over SSH). */
@Module({
  imports: [ClustersModule, TypeOrmModule.forFeature([HostEntity])],
  controllers: [],
  providers: [HostsService, HostRepository],
  exports: [HostsService, HostRepository, TypeOrmModule],
})
export class HostsModule {}
