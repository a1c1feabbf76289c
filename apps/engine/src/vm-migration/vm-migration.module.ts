import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { MigrationAdoption } from './migration-adoption';
import { MigrationPlanner } from './migration-planner';
import { MigrationRepository } from './migration.repository';
import { VmMigrationController } from './vm-migration.controller';
import { VmMigrationEntity } from './vm-migration.entity';
import { VmMigrationService } from './vm-migration.service';

/** Live migration of VMs between hosts of a cluster. */
@Module({
  imports: [InventoryModule, AgentsModule, SchedulingModule, TypeOrmModule.forFeature([VmMigrationEntity])],
  controllers: [VmMigrationController],
  providers: [VmMigrationService, MigrationPlanner, MigrationAdoption, MigrationRepository],
  exports: [VmMigrationService, MigrationRepository],
})
export class VmMigrationModule {}
