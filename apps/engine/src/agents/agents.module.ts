import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { StatsModule } from '../stats/stats.module';
import { CommandBus } from './command-bus.service';
import { HeartbeatConsumer } from './heartbeat.consumer';
import { HostFactsCache } from './host-facts';
import { HostMonitorService } from './host-monitor.service';
import { ReportConsumer } from './report.consumer';
import { VmStateSyncService } from './vm-state-sync.service';

/** The engine's side of the agent protocol: commands out, heartbeats and reports in, host monitoring. */
@Module({
  imports: [InventoryModule, StatsModule],
  providers: [
    CommandBus,
    HostFactsCache,
    HeartbeatConsumer,
    ReportConsumer,
    VmStateSyncService,
    HostMonitorService,
  ],
  exports: [CommandBus, VmStateSyncService],
})
export class AgentsModule {}
