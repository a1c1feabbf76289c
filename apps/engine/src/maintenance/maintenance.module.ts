import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceAdoption } from './maintenance-adoption';
import { MaintenanceService } from './maintenance.service';

/** Host maintenance: evacuate by live migration, then Maintenance; activate. */
@Module({
  imports: [InventoryModule, AgentsModule, VmMigrationModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService, MaintenanceAdoption],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
