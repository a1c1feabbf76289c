import { Can, on } from '../auth/access.decorator';
import { GcReport, Permission } from '@kelpie/shared-types';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/openapi';
import { GarbageCollectorService } from './garbage-collector.service';

@ApiTags('gc')
@Controller('gc')
export class GcController {
  constructor(private readonly gc: GarbageCollectorService) {}

  @Get('orphans')
  @Can(Permission.SystemManage, on.system)
  @ApiOperation({
    summary: 'Dry run of the garbage collector',
    description:
      'Lists, per Up host, the orphan volumes and Kelpie domains a run would consider, their age and ' +
      'whether they are past the grace period (`due`). Removes nothing.',
  })
  @ApiOkResponse({ description: 'GcReport (shared-types) with dryRun: true' })
  @ApiErrors(409)
  orphans(): Promise<GcReport> {
    return this.gc.run(true);
  }

  @Post('run')
  @Can(Permission.SystemManage, on.system)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the garbage collector now',
    description:
      'Removes the orphans past the grace period (one audit event each: gc.volume_removed, ' +
      'gc.domain_removed) and answers what it found and removed. 409 while a run is under way.',
  })
  @ApiOkResponse({ description: 'GcReport (shared-types) with dryRun: false' })
  @ApiErrors(409)
  runNow(): Promise<GcReport> {
    return this.gc.run(false);
  }
}
