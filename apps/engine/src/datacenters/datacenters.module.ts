import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCenterEntity } from './datacenter.entity';
import { DataCenterRepository } from './datacenter.repository';
import { DataCentersController } from './datacenters.controller';
import { DataCentersService } from './datacenters.service';
import { DatacenterAccess } from '../auth/access-tree.port';

/** Datacenters: the top of the inventory tree. */
@Module({
  imports: [TypeOrmModule.forFeature([DataCenterEntity])],
  controllers: [DataCentersController],
  providers: [
    DataCentersService,
    DataCenterRepository,
    { provide: DatacenterAccess, useExisting: DataCenterRepository },
  ],
  exports: [DataCentersService, DataCenterRepository, TypeOrmModule],
})
export class DataCentersModule {}
