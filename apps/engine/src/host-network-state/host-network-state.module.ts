import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '../inventory/inventory.module';
import { HostNetworkStateEntity } from './host-network-state.entity';
import { HostNetworkStateService } from './host-network-state.service';
import { HostNetworkStateRepository } from './host-network-state.repository';

/** Hosts' reported networking and the required-network judgement (read by the report consumer). */
@Module({
  imports: [InventoryModule, TypeOrmModule.forFeature([HostNetworkStateEntity])],
  providers: [HostNetworkStateService, HostNetworkStateRepository],
  exports: [HostNetworkStateService, HostNetworkStateRepository],
})
export class HostNetworkStateModule {}
