import { Public } from '../auth/access.decorator';
import { HealthReport } from '@kelpie/shared-types';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthReportResponse } from './health.response';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOkResponse({
    type: HealthReportResponse,
    description: 'State of the engine and its Postgres and Redis connections (503 when degraded).',
  })
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status !== 'ok') res.status(503);
    return report;
  }
}
