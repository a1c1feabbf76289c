import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { HostNetworkStateModule } from '../host-network-state/host-network-state.module';
import { InventoryModule } from '../inventory/inventory.module';
import { AffinityGroupEntity, AffinityGroupHostEntity, AffinityGroupVmEntity } from './affinity-group.entity';
import { AffinityGroupsService } from './affinity-groups.service';
import { AffinityJoin } from './affinity-join';
import { PlacementService } from './placement.service';
import { SchedulingController } from './scheduling.controller';
import { SchedulingRepository } from './scheduling.repository';
import { SchedulingService } from './scheduling.service';

/** The one scheduler (filters, weights, explanations), affinity groups and the placement preview. */
@Module({
  imports: [
    InventoryModule,
    AgentsModule,
    HostNetworkStateModule,
    TypeOrmModule.forFeature([AffinityGroupEntity, AffinityGroupVmEntity, AffinityGroupHostEntity]),
  ],
  controllers: [SchedulingController],
  providers: [SchedulingService, SchedulingRepository, PlacementService, AffinityGroupsService, AffinityJoin],
  exports: [SchedulingService, SchedulingRepository, PlacementService, AffinityJoin],
})
export class SchedulingModule {}
