import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { ConsoleModule } from '../console/console.module';
import { HostsModule } from '../hosts/hosts.module';
import { VmsModule } from '../vms/vms.module';
import { StatsModule } from '../stats/stats.module';
import { FleetGauges } from './fleet-gauges';
import { FleetMetricsRepository } from './fleet-metrics.repository';
import { MetricsController } from './metrics.controller';

/** `GET /api/v1/metrics`: the engine's Prometheus endpoint. */
@Module({
  imports: [AgentsModule, ConsoleModule, StatsModule, HostsModule, VmsModule],
  controllers: [MetricsController],
  providers: [FleetGauges, FleetMetricsRepository],
})
export class MetricsModule {}
