import { Module } from '@nestjs/common';
import { PoolMacsPort } from '../mac-pools/pool-macs.port';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VmsModule } from '../vms/vms.module';
import { NetworksModule } from '../networks/networks.module';
import { MacPoolsModule } from '../mac-pools/mac-pools.module';
import { NicRows } from '../crud/child-rows.port';
import { ProfileNicsPort } from '../networks/profile-nics.port';
import { NicEntity } from './nic.entity';
import { NicRepository } from './nic.repository';
import { NicsController } from './nics.controller';
import { NicsService } from './nics.service';
import { NicAccess } from '../auth/access-tree.port';

/** VM NIC records. */
@Module({
  imports: [VmsModule, NetworksModule, MacPoolsModule, TypeOrmModule.forFeature([NicEntity])],
  controllers: [NicsController],
  providers: [
    NicsService,
    NicRepository,
    { provide: NicAccess, useExisting: NicRepository },
    { provide: NicRows, useExisting: NicRepository },
    { provide: ProfileNicsPort, useExisting: NicRepository },
    { provide: PoolMacsPort, useExisting: NicRepository },
  ],
  exports: [NicsService, NicRepository, TypeOrmModule],
})
export class NicsModule {}
