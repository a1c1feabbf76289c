import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { TaskProbe } from './task-probe';
import { VmGuard } from './vm-guard.service';

/** The checks every VM operation shares (VmGuard) and what adopters of their tasks ask hosts
 * (TaskProbe); imported by each feature that acts on VMs. */
@Module({
  imports: [InventoryModule, AgentsModule],
  providers: [VmGuard, TaskProbe],
  exports: [VmGuard, TaskProbe],
})
export class VmGuardModule {}
