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
import { MigrationCancel } from './migration-cancel';
import { MigrationRunner } from './migration-runner';
import { MigrationSettlement } from './migration-settlement';
import { MigrationFactsPort } from '../vm-ownership/migration-facts.port';
import { MigrationAccess } from '../auth/access-tree.port';

/** Live migration of VMs between hosts of a cluster. */
@Module({
  imports: [InventoryModule, AgentsModule, SchedulingModule, TypeOrmModule.forFeature([VmMigrationEntity])],
  controllers: [VmMigrationController],
  providers: [
    VmMigrationService,
    MigrationRunner,
    MigrationSettlement,
    MigrationCancel,
    MigrationPlanner,
    MigrationAdoption,
    MigrationRepository,
    { provide: MigrationAccess, useExisting: MigrationRepository },
    // Agents' reports record ownership facts on migration rows (agents sit below this feature).
    { provide: MigrationFactsPort, useExisting: MigrationRepository },
  ],
  exports: [VmMigrationService, MigrationRepository, MigrationPlanner],
})
export class VmMigrationModule {}
