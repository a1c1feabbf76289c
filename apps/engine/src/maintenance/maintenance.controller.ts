import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { mapHost, HostResponse } from '../hosts/host.response';
import { TaskResponse } from '../tasks/task.response';
import { MaintenanceService } from './maintenance.service';

@ApiTags('hosts')
@Controller('hosts')
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

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
