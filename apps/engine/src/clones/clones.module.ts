import { Module } from '@nestjs/common';
import { MacPoolsModule } from '../mac-pools/mac-pools.module';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { CloneAdoption } from './clone-adoption';
import { ClonesController } from './clones.controller';
import { ClonesService } from './clones.service';

/** Clones of stopped VMs; re-exports the VM guard the template, snapshot and cloud-init features share. */
@Module({
  imports: [InventoryModule, AgentsModule, VmGuardModule, MacPoolsModule],
  controllers: [ClonesController],
  providers: [ClonesService, CloneAdoption],
  exports: [VmGuardModule, ClonesService, InventoryModule, AgentsModule],
})
export class ClonesModule {}
