import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { ClonesController } from './clones.controller';
import { ClonesService } from './clones.service';

/** Clones of stopped VMs; re-exports the VM guard the template, snapshot and cloud-init features share. */
@Module({
  imports: [InventoryModule, AgentsModule, VmGuardModule],
  controllers: [ClonesController],
  providers: [ClonesService],
  exports: [VmGuardModule, ClonesService, InventoryModule, AgentsModule],
})
export class ClonesModule {}
