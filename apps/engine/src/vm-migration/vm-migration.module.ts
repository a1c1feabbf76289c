import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { MigrationAdoption } from './migration-adoption';
import { MigrationPlanner } from './migration-planner';
import { VmMigrationController } from './vm-migration.controller';
import { VmMigrationEntity } from './vm-migration.entity';
import { VmMigrationService } from './vm-migration.service';

/** Live migration of VMs between hosts of a cluster (issue 6). */
@Module({
  imports: [InventoryModule, AgentsModule, TypeOrmModule.forFeature([VmMigrationEntity])],
  controllers: [VmMigrationController],
  providers: [VmMigrationService, MigrationPlanner, MigrationAdoption],
  exports: [VmMigrationService],
})
export class VmMigrationModule {}
