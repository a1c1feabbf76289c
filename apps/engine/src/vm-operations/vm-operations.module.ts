import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { VmLifecycleController } from './vm-lifecycle.controller';
import { HostlessVmSearch } from './hostless-search';
import { HotplugAdoption } from './hotplug-adoption';
import { VmCreateAdoption } from './vm-create-adoption';
import { VmDeleteAdoption } from './vm-delete-adoption';
import { VmEditAdoption } from './vm-edit-adoption';
import { VmPowerAdoption } from './vm-power-adoption';
import { VmHotplugService } from './vm-hotplug.service';
import { VmLifecycleService } from './vm-lifecycle.service';

/** VM lifecycle: provisioning, power, edits, hot-plug; serves the /vms writes (create, update,
 * delete reach hosts). */
@Module({
  imports: [InventoryModule, AgentsModule, SchedulingModule, VmGuardModule],
  controllers: [VmLifecycleController],
  providers: [
    VmLifecycleService,
    HostlessVmSearch,
    VmHotplugService,
    VmCreateAdoption,
    VmPowerAdoption,
    VmDeleteAdoption,
    VmEditAdoption,
    HotplugAdoption,
  ],
  exports: [VmLifecycleService],
})
export class VmOperationsModule {}
