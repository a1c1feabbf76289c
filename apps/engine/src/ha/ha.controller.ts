import { Permission } from '@kelpie/shared-types';
import { Controller, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HaRestartService } from './ha-restart.service';
import { TaskResponse } from '../tasks/task.response';
import { Can, on } from '../auth/access.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';

@ApiTags('hosts')
@Controller('hosts')
export class HaController {
  constructor(private readonly ha: HaRestartService) {}

  @Post(':id/confirm-rebooted')
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: 'Confirm host has been rebooted (manual fence)',
    description:
      'For a `non_responsive` host without power management: the admin states that the host is really off ' +
      'or was rebooted, so nothing it ran still runs. Its running VMs become `down` with the reason and are ' +
      'detached from it; the highly available ones are started on other hosts by HA priority (higher ' +
      'first), each by a `vm.start` task with the same correlation id. WARNING: confirming a host that still ' +
      'runs its VMs starts them twice and can corrupt their disks. 202 with a `host.confirm-rebooted` task ' +
      '(result: down, restarted, notRestarted); 409 unless the host is non-responsive.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async confirmRebooted(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.ha.confirmRebooted(id, meta));
  }
}
