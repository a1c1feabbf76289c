import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { UuidParam } from '../common/http/uuid-param';
import { STATS_SAMPLES_KEPT, StatsHistoryService } from './stats-history.service';

export class StatsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(STATS_SAMPLES_KEPT)
  limit?: number;
}

@ApiTags('stats')
@Controller()
export class StatsController {
  constructor(private readonly stats: StatsHistoryService) {}

  @Get('hosts/:id/stats')
  @ApiOkResponse({ description: 'Recent host samples, oldest first (CPU %, memory, KSM).' })
  host(@UuidParam() id: string, @Query() q: StatsQuery) {
    return this.stats.history('host', id, q.limit ?? 60);
  }

  @Get('vms/:id/stats')
  @ApiOkResponse({ description: 'Recent VM samples, oldest first (CPU, memory, block and NIC counters).' })
  vm(@UuidParam() id: string, @Query() q: StatsQuery) {
    return this.stats.history('vm', id, q.limit ?? 60);
  }
}
