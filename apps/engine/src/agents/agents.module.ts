import { Module } from '@nestjs/common';
import { HostNetworkStateModule } from '../host-network-state/host-network-state.module';
import { InventoryModule } from '../inventory/inventory.module';
import { StatsModule } from '../stats/stats.module';
import { TrustModule } from '../trust/trust.module';
import { CommandBus } from './command-bus.service';
import { GuestEvents } from './guest-events';
import { HeartbeatConsumer } from './heartbeat.consumer';
import { HostFactsCache } from './host-facts';
import { HostMonitorService } from './host-monitor.service';
import { ReportConsumer } from './report.consumer';
import { ReportFreshness } from './report-freshness';
import { MissedListings } from './missed-listings';
import { VmStateSyncService } from './vm-state-sync.service';

/** The engine's side of the agent protocol: commands out, heartbeats and reports in, host monitoring. */
@Module({
  imports: [InventoryModule, StatsModule, HostNetworkStateModule, TrustModule],
  providers: [
    CommandBus,
    HostFactsCache,
    HeartbeatConsumer,
    ReportConsumer,
    VmStateSyncService,
    MissedListings,
    ReportFreshness,
    HostMonitorService,
    GuestEvents,
  ],
  exports: [CommandBus, VmStateSyncService, HeartbeatConsumer, ReportConsumer],
})
export class AgentsModule {}
