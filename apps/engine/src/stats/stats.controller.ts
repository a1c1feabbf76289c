import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { UuidParam } from '../common/http/uuid-param';
import { HostsService } from '../hosts/hosts.service';
import { VmsService } from '../vms/vms.service';
import { FleetStatsService } from './fleet-stats.service';
import { STATS_SAMPLES_KEPT, StatsHistoryService } from './stats-history.service';
import { FleetStatsResponse, HostStatsSampleResponse, VmStatsSampleResponse } from './stats.response';

export class StatsQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: STATS_SAMPLES_KEPT,
    default: 60,
    description: 'Newest samples read (per host for the fleet).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(STATS_SAMPLES_KEPT)
  limit?: number;
}

export class FleetStatsQuery extends StatsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 3600, default: 10, description: 'Width of the time buckets.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  bucketSeconds?: number;
}

@ApiTags('stats')
@Controller()
export class StatsController {
  constructor(
    private readonly stats: StatsHistoryService,
    private readonly hosts: HostsService,
    private readonly vms: VmsService,
    private readonly fleetStats: FleetStatsService,
  ) {}

  @Get('stats/fleet')
  @Can(Permission.View, on.system)
  @ApiOkResponse({
    type: FleetStatsResponse,
    description:
      'CPU (mean) and memory (sum) of the hosts that are Up, merged into time buckets, oldest first; ' +
      '`limit` samples are read per host.',
  })
  fleet(@Query() q: FleetStatsQuery) {
    return this.fleetStats.fleet(q.limit ?? 60, q.bucketSeconds ?? 10);
  }

  @Get('hosts/:id/stats')
  @Can(Permission.View, on.param('host'))
  @ApiOkResponse({
    type: HostStatsSampleResponse,
    isArray: true,
    description: 'Recent host samples, oldest first (CPU %, memory, KSM).',
  })
  async host(@UuidParam() id: string, @Query() q: StatsQuery) {
    await this.hosts.get(id); // 404 for an unknown host, not an empty history
    return this.stats.history('host', id, q.limit ?? 60);
  }

  @Get('vms/:id/stats')
  @Can(Permission.View, on.param('vm'))
  @ApiOkResponse({
    type: VmStatsSampleResponse,
    isArray: true,
    description: 'Recent VM samples, oldest first (CPU, memory, block and NIC counters).',
  })
  async vm(@UuidParam() id: string, @Query() q: StatsQuery) {
    await this.vms.get(id);
    return this.stats.history('vm', id, q.limit ?? 60);
  }
}
