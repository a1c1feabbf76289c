import { Page, Permission } from '@kelpie/shared-types';
import { Can, CanList, on } from '../auth/access.decorator';
import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from '../tasks/task.response';
import { MigrationPlanner } from './migration-planner';
import {
  MigrateVmDto,
  MigrationListQuery,
  MigrationTargetsDoc,
  MigrationTargetsQuery,
} from './vm-migration.dto';
import { mapVmMigration, VmMigrationResponse } from './vm-migration.response';
import { VmMigrationService } from './vm-migration.service';
import { MigrationCancel } from './migration-cancel';

@ApiTags('migrations')
@Controller()
export class VmMigrationController {
  constructor(
    private readonly migrations: VmMigrationService,
    private readonly planner: MigrationPlanner,
    private readonly cancelling: MigrationCancel,
  ) {}

  @Get('vms/:id/migrate/targets')
  @Can(Permission.VmMigrate, on.param('vm'))
  @ApiOperation({
    summary: 'Where the VM could migrate: every other host of its cluster with the pre-check result',
    description:
      'Runs the checks of `POST /vms/{id}/migrate` host by host without starting anything: `eligible` ' +
      'hosts pass them all, the others carry `problems` (readable reasons); `recommended` marks the ' +
      "scheduler's choice. VM-level problems (not running, snapshots, passthrough device, unsafe cache) are in " +
      '`vmProblems` and make every host ineligible.',
  })
  @ApiOkResponse({ type: MigrationTargetsDoc })
  @ApiErrors(400, 404)
  targets(@UuidParam() id: string, @Query() query: MigrationTargetsQuery) {
    return this.planner.targets(id, query);
  }

  @Post('vms/:id/migrate')
  @Can(Permission.VmMigrate, on.param('vm'))
  @ApiOperation({
    summary: 'Live-migrate a running VM',
    description:
      'Checks everything first (409/422 with the reason, nothing sent to a host), then answers 202 with a ' +
      '`vm.migrate` task. Without `targetHostId` the scheduler picks a host (the reason is on the task). ' +
      'Policy fields override the cluster migrationPolicy.',
  })
  @ApiBody({ type: MigrateVmDto, required: false })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409, 422)
  async migrate(
    @UuidParam() id: string,
    @Body() dto: MigrateVmDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.migrations.migrate(id, dto ?? {}, meta));
  }

  @Post('vms/:id/migrate/cancel')
  @Can(Permission.VmMigrate, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({
    summary: "Cancel the VM's running migration",
    description:
      'Aborts the job on the source host; the VM keeps running there and the task ends `cancelled`.',
  })
  @ApiOkResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  cancel(@UuidParam() id: string, @Meta() meta: RequestMeta) {
    return this.cancelling.cancelForVm(id, meta);
  }

  @Get('migrations')
  @CanList('migration')
  @ApiOperation({ summary: 'List migrations (newest first), with their latest progress sample' })
  @ApiPage(VmMigrationResponse)
  @ApiErrors(400)
  async list(@Query() query: MigrationListQuery): Promise<Page<VmMigrationResponse>> {
    const page = await this.migrations.list(query);
    return { ...page, items: page.items.map(mapVmMigration) };
  }

  @Get('migrations/:id')
  @Can(Permission.View, on.param('migration'))
  @ApiOperation({ summary: 'Get a migration (its id is the id of its vm.migrate task)' })
  @ApiOkResponse({ type: VmMigrationResponse })
  @ApiErrors(400, 404)
  async get(@UuidParam() id: string): Promise<VmMigrationResponse> {
    return mapVmMigration(await this.migrations.get(id));
  }
}
