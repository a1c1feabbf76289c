import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { CloneAdoption } from './clone-adoption';
import { ClonesController } from './clones.controller';
import { ClonesService } from './clones.service';
import { VmOpsSupport } from './vm-ops-support';

/** Clones of stopped VMs; exports the support the template, snapshot and cloud-init features share. */
@Module({
  imports: [InventoryModule, AgentsModule],
  controllers: [ClonesController],
  providers: [VmOpsSupport, ClonesService, CloneAdoption],
  exports: [VmOpsSupport, ClonesService, InventoryModule, AgentsModule],
})
export class ClonesModule {}
