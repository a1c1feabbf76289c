import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCenterEntity } from './datacenter.entity';
import { DataCentersController } from './datacenters.controller';
import { DataCentersService } from './datacenters.service';

/** Datacenters: the top of the inventory tree. */
@Module({
  imports: [TypeOrmModule.forFeature([DataCenterEntity])],
  controllers: [DataCentersController],
  providers: [DataCentersService],
  exports: [DataCentersService, TypeOrmModule],
})
export class DataCentersModule {}
