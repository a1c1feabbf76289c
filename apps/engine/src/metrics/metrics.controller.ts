import { Permission } from '@kelpie/shared-types';
import { Controller, Get, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, on } from '../auth/access.decorator';
import { EngineMetrics } from '../common/metrics/engine-metrics';
import { FleetGauges } from './fleet-gauges';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly metrics: EngineMetrics,
    private readonly fleet: FleetGauges,
  ) {}

  @Get()
  @Can(Permission.MetricsRead, on.system)
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      'Prometheus text exposition: API latency, tasks, queues, heartbeats, migrations, consoles, host and ' +
      'VM gauges. Bearer KELPIE_METRICS_TOKEN, or an API token holding metrics.read.',
  })
  async scrape(@Res() res: Response): Promise<void> {
    // The engine's own counters still answer while Postgres or Redis is away: the fleet gauges keep
    // their previous values and the failure is logged (the scrape itself must not fail then).
    await this.fleet
      .refresh()
      .catch((err: Error) => this.logger.warn(`fleet gauges not refreshed: ${err.message}`));
    const { contentType, body } = await this.metrics.exposition();
    res.type(contentType).send(body);
  }
}
