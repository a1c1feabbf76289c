import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { VmsController } from '../vms/vms.controller';
import { VmLifecycleController } from './vm-lifecycle.controller';
import { VmHotplugService } from './vm-hotplug.service';
import { VmLifecycleService } from './vm-lifecycle.service';

/** VM lifecycle: provisioning, power, edits, hot-plug. Also serves the /vms CRUD routes, whose
 * create/update/delete reach hosts. */
@Module({
  imports: [InventoryModule, AgentsModule, SchedulerModule, VmGuardModule],
  controllers: [VmsController, VmLifecycleController],
  providers: [VmLifecycleService, VmHotplugService],
  exports: [VmLifecycleService],
})
export class VmOperationsModule {}
