import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

/** Host maintenance: evacuate by live migration, then Maintenance; activate (issue 6). */
@Module({
  imports: [InventoryModule, VmMigrationModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService],
})
export class MaintenanceModule {}
