import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { VmOperationsModule } from '../vm-operations/vm-operations.module';
import { CrashRestartService } from './crash-restart.service';
import { FENCE_AGENTS, FenceAgent } from './fence-agent';
import { FencingService } from './fencing.service';
import { HaController } from './ha.controller';
import { HaRestartService } from './ha-restart.service';
import { HaRestartAdoption } from './ha-restart-adoption';
import { IpmiFenceAgent } from './ipmi-fence-agent';
import { PowerManagementModule } from '../power-management/power-management.module';

/** High availability: fencing decisions for non-responsive hosts, the manual fence ("confirm host
 * has been rebooted"), HA restarts elsewhere by priority, and in-place restarts of crashed HA VMs. */
@Module({
  imports: [InventoryModule, AgentsModule, VmOperationsModule, PowerManagementModule],
  controllers: [HaController],
  providers: [
    // Tried in this order; a host none applies to is held as "no power management" (soft fencing
    // over SSH and storage leases come next).
    IpmiFenceAgent,
    {
      provide: FENCE_AGENTS,
      useFactory: (ipmi: IpmiFenceAgent): FenceAgent[] => [ipmi],
      inject: [IpmiFenceAgent],
    },
    HaRestartService,
    HaRestartAdoption,
    FencingService,
    CrashRestartService,
  ],
})
export class HaModule {}
