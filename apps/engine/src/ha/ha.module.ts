import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { VmOperationsModule } from '../vm-operations/vm-operations.module';
import { CrashRestartService } from './crash-restart.service';
import { FENCE_AGENTS, FenceAgent } from './fence-agent';
import { FencingService } from './fencing.service';
import { HaController } from './ha.controller';
import { HaRestartService } from './ha-restart.service';
import { HaRestartAdoption } from './ha-restart-adoption';
import { HostLeaseEntity } from './host-lease.entity';
import { HostLeaseRepository } from './host-lease.repository';
import { HostLeaseReports } from './host-lease-reports';
import { IpmiFenceAgent } from './ipmi-fence-agent';
import { SshSoftFenceAgent } from './ssh-soft-fence-agent';
import { PowerManagementModule } from '../power-management/power-management.module';
import { TrustModule } from '../trust/trust.module';
import { VmHaController } from './vm-ha.controller';
import { VmHaService } from './vm-ha.service';

/** High availability: fencing decisions for non-responsive hosts, the manual fence ("confirm host
 * has been rebooted"), HA restarts elsewhere by priority, and in-place restarts of crashed HA VMs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([HostLeaseEntity]),
    InventoryModule,
    AgentsModule,
    VmOperationsModule,
    PowerManagementModule,
    TrustModule,
  ],
  controllers: [HaController, VmHaController],
  providers: [
    // Tried in this order: soft over SSH first (once per non-responsive spell), then hard through the
    // BMC; a host no hard agent applies to is held as "no power management".
    SshSoftFenceAgent,
    IpmiFenceAgent,
    {
      provide: FENCE_AGENTS,
      useFactory: (soft: SshSoftFenceAgent, ipmi: IpmiFenceAgent): FenceAgent[] => [soft, ipmi],
      inject: [SshSoftFenceAgent, IpmiFenceAgent],
    },
    HaRestartService,
    HaRestartAdoption,
    FencingService,
    CrashRestartService,
    HostLeaseRepository,
    HostLeaseReports,
    VmHaService,
  ],
})
export class HaModule {}
