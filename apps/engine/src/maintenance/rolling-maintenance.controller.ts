import { Permission } from '@kelpie/shared-types';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, on } from '../auth/access.decorator';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { HostResponse, mapHost } from '../hosts/host.response';
import { TaskResponse } from '../tasks/task.response';
import { StartRollingMaintenanceDto } from './rolling-maintenance.dto';
import { RollingMaintenance } from './rolling-maintenance';

@ApiTags('clusters')
@Controller('clusters')
export class RollingMaintenanceController {
  constructor(private readonly rolling: RollingMaintenance) {}

  @Post(':id/rolling-maintenance')
  @Can(Permission.HostManage, on.param('cluster'))
  @ApiOperation({
    summary: 'Maintain the hosts of a cluster one at a time',
    description:
      'One host at a time: maintenance (its running VMs live-migrated by the scheduler, never onto a host in ' +
      'or preparing for maintenance or not up), then `action`, then activated, and the next host once it is ' +
      'up. 202 with one `cluster.rolling_maintenance` task, a step per host. Every host must be up (409 ' +
      'naming those that are not). A VM that cannot leave keeps its host preparing with the VM named: the ' +
      'run waits for `POST /hosts/{id}/maintenance/resolve`, and stops if the host is activated instead. ' +
      'Cancel with `POST /tasks/{id}/cancel` (the host at hand stays as it is). An engine that stops during ' +
      'the run is replaced by another (or itself, restarted), which continues it.',
  })
  @ApiBody({ type: StartRollingMaintenanceDto, required: false })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async start(
    @UuidParam() id: string,
    @Body() dto: StartRollingMaintenanceDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.rolling.start(id, dto ?? {}, meta));
  }

  @Post(':id/rolling-maintenance/continue')
  @Can(Permission.HostManage, on.param('cluster'))
  @HttpCode(200)
  @ApiOperation({
    summary: 'Continue a rolling maintenance that waits for the admin',
    description:
      'With `action: wait_for_admin`: activates the host the run waits on (as `POST /hosts/{id}/activate`); ' +
      'the run goes on once it is up. 409 when no run of the cluster waits.',
  })
  @ApiOkResponse({ type: HostResponse })
  @ApiErrors(400, 404, 409)
  async continue(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<HostResponse> {
    return mapHost(await this.rolling.continueRun(id, meta));
  }
}
