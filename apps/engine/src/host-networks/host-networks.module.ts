import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { HostNetworkStateModule } from '../host-network-state/host-network-state.module';
import { InventoryModule } from '../inventory/inventory.module';
import { HostNetworksController } from './host-networks.controller';
import { HostNetworksService } from './host-networks.service';
import { NetworkSetupAdoption } from './network-setup-adoption';

/** A host's networks through the API: what it reports, and network setup with automatic rollback. */
@Module({
  imports: [InventoryModule, AgentsModule, HostNetworkStateModule],
  controllers: [HostNetworksController],
  providers: [HostNetworksService, NetworkSetupAdoption],
})
export class HostNetworksModule {}
