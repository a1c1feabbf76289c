import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { VmOperationsModule } from '../vm-operations/vm-operations.module';
import { MaintenanceChoices } from './maintenance-choices';
import { MaintenancePlanner } from './maintenance-plan';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceAdoption } from './maintenance-adoption';
import { MaintenanceService } from './maintenance.service';
import { RollingMaintenance } from './rolling-maintenance';
import { RollingMaintenanceController } from './rolling-maintenance.controller';

/** Host maintenance: its plan, evacuation by live migration, the choices for a VM that cannot leave,
 * then Maintenance; activate; rolling maintenance of a cluster, one host at a time. */
@Module({
  imports: [InventoryModule, AgentsModule, VmMigrationModule, VmOperationsModule],
  controllers: [MaintenanceController, RollingMaintenanceController],
  providers: [
    MaintenanceService,
    MaintenanceAdoption,
    MaintenancePlanner,
    MaintenanceChoices,
    RollingMaintenance,
  ],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
