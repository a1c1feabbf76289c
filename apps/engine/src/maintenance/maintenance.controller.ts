import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { mapHost, HostResponse } from '../hosts/host.response';
import { TaskResponse } from '../tasks/task.response';
import { MaintenanceChoices } from './maintenance-choices';
import { MaintenancePlanner } from './maintenance-plan';
import { MaintenancePlanDoc, ResolveMaintenanceDto } from './maintenance.dto';
import { MaintenanceService } from './maintenance.service';

@ApiTags('hosts')
@Controller('hosts')
export class MaintenanceController {
  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly planner: MaintenancePlanner,
    private readonly choices: MaintenanceChoices,
  ) {}

  @Get(':id/maintenance/plan')
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: 'What entering maintenance would do now: each running VM → its target, or why it cannot move',
    description:
      "Runs the evacuation's checks VM by VM (with the memory of earlier VMs reserved, as the evacuation " +
      'does) without starting anything. Targets are only Up hosts: never one in or preparing for ' +
      'maintenance, non-operational or being evacuated. Stopped VMs are listed apart: they are not ' +
      'migrated and start on another host of the cluster when started. A running VM without a target ' +
      'would keep the host `preparing_for_maintenance`; `choices` are what `POST …/maintenance/resolve` ' +
      'then accepts for it.',
  })
  @ApiOkResponse({ type: MaintenancePlanDoc })
  @ApiErrors(400, 404)
  plan(@UuidParam() id: string) {
    return this.planner.plan(id);
  }

  @Post(':id/maintenance/resolve')
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: 'Decide about a VM that keeps a host preparing for maintenance',
    description:
      'For a host `preparing_for_maintenance` whose evacuation left a VM behind: shut it down, power it off ' +
      "or migrate it to `targetHostId`. The VM's own task is checked and started first (409/422 with " +
      'nothing changed when it cannot), then 202 with a `host.maintenance` task that waits for it, migrates ' +
      'any other running VM away and puts the host in `maintenance`. Cancel with `POST /hosts/{id}/activate`.',
  })
  @ApiBody({ type: ResolveMaintenanceDto })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409, 422)
  async resolve(
    @UuidParam() id: string,
    @Body() dto: ResolveMaintenanceDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.choices.resolve(id, dto, meta));
  }

  @Post(':id/maintenance')
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: 'Put a host into maintenance',
    description:
      'The host becomes `preparing_for_maintenance` (no new VMs), its running VMs are live-migrated to the ' +
      'other hosts of the cluster (spread by free capacity), then it becomes `maintenance`. 202 with a ' +
      '`host.maintenance` task; VMs that cannot leave are listed in the task error and the host keeps ' +
      '`preparing_for_maintenance` with the reason.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async enter(@UuidParam() id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) res: Response) {
    return acceptedTask(res, await this.maintenance.enter(id, meta));
  }

  @Post(':id/activate')
  @Can(Permission.HostManage, on.param('host'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring a host out of maintenance (back to Up)' })
  @ApiOkResponse({ type: HostResponse })
  @ApiErrors(400, 404, 409)
  async activate(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<HostResponse> {
    return mapHost(await this.maintenance.activate(id, meta));
  }
}
