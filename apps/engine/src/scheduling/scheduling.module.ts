import { Module } from '@nestjs/common';
import { HostNetworkStateEntity } from '../host-network-state/host-network-state.entity';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { AffinityGroupEntity, AffinityGroupVmEntity } from './affinity-group.entity';
import { AffinityGroupsService } from './affinity-groups.service';
import { PlacementService } from './placement.service';
import { SchedulingController } from './scheduling.controller';
import { SchedulingRepository } from './scheduling.repository';
import { SchedulingService } from './scheduling.service';

/** The one scheduler (filters, weights, explanations), affinity groups and the placement preview. */
@Module({
  imports: [
    InventoryModule,
    AgentsModule,
    TypeOrmModule.forFeature([AffinityGroupEntity, AffinityGroupVmEntity, HostNetworkStateEntity]),
  ],
  controllers: [SchedulingController],
  providers: [SchedulingService, SchedulingRepository, PlacementService, AffinityGroupsService],
  exports: [SchedulingService, PlacementService],
})
export class SchedulingModule {}
