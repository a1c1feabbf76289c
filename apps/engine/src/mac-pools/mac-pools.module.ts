import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { MacPoolEntity } from './mac-pool.entity';
import { MacPoolsController } from './mac-pools.controller';
import { MacPoolsRepository } from './mac-pools.repository';
import { MacPoolsService } from './mac-pools.service';

/** MAC pools per datacenter and the allocation of NIC addresses from them. */
@Module({
  imports: [DataCentersModule, TypeOrmModule.forFeature([MacPoolEntity])],
  controllers: [MacPoolsController],
  providers: [MacPoolsRepository, MacPoolsService],
  exports: [MacPoolsService],
})
export class MacPoolsModule {}
