import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VmsModule } from '../vms/vms.module';
import { NetworksModule } from '../networks/networks.module';
import { MacPoolsModule } from '../mac-pools/mac-pools.module';
import { NicEntity } from './nic.entity';
import { NicsController } from './nics.controller';
import { NicsService } from './nics.service';

/** VM NIC records. */
@Module({
  imports: [VmsModule, NetworksModule, MacPoolsModule, TypeOrmModule.forFeature([NicEntity])],
  controllers: [NicsController],
  providers: [NicsService],
  exports: [NicsService, TypeOrmModule],
})
export class NicsModule {}
