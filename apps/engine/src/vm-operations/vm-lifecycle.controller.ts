import { Body, Controller, Delete, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskEntity } from '../tasks/task.entity';
import {
  AttachVmDiskDto,
  AttachVmNicDto,
  ChangeCdromDto,
  DetachVmDiskQuery,
  ShutdownVmDto,
} from '../vms/vm-devices.dto';
import { VmHotplugService } from './vm-hotplug.service';
import { PowerAction, VmLifecycleService } from './vm-lifecycle.service';

function PowerRoute(action: PowerAction, summary: string): MethodDecorator {
  return (target, key, descriptor) => {
    Post(`:id/${action}`)(target, key, descriptor);
    HttpCode(202)(target, key, descriptor);
    ApiOperation({
      summary,
      description:
        'Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 ' +
        'when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt ' +
        "reports the VM's new status.",
    })(target, key, descriptor);
    ApiAcceptedResponse({ type: TaskEntity })(target, key, descriptor);
    ApiErrors(400, 404, 409)(target, key, descriptor);
    ApiResponse({ status: 503, description: 'host_unavailable: the VM host is not up' })(
      target,
      key,
      descriptor,
    );
  };
}

@ApiTags('vms')
@Controller('vms')
export class VmLifecycleController {
  constructor(
    private readonly lifecycle: VmLifecycleService,
    private readonly hotplug: VmHotplugService,
  ) {}

  @PowerRoute('start', 'Start (a VM on no host is placed and defined first)')
  async start(@UuidParam() id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) res: Response) {
    return acceptedTask(res, await this.lifecycle.power(id, 'start', {}, meta));
  }

  @PowerRoute('shutdown', 'Graceful shutdown (ACPI); optional power-off after the timeout')
  @ApiBody({ type: ShutdownVmDto, required: false })
  async shutdown(
    @UuidParam() id: string,
    @Body() dto: ShutdownVmDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.power(id, 'shutdown', dto ?? {}, meta));
  }

  @PowerRoute('poweroff', 'Power off at once (virsh destroy)')
  async poweroff(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.power(id, 'poweroff', {}, meta));
  }

  @PowerRoute('reboot', 'Graceful reboot')
  async reboot(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.power(id, 'reboot', {}, meta));
  }

  @PowerRoute('reset', 'Hard reset')
  async reset(@UuidParam() id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) res: Response) {
    return acceptedTask(res, await this.lifecycle.power(id, 'reset', {}, meta));
  }

  @PowerRoute('suspend', 'Pause (virsh suspend)')
  async suspend(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.power(id, 'suspend', {}, meta));
  }

  @PowerRoute('resume', 'Resume a paused VM')
  async resume(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.power(id, 'resume', {}, meta));
  }

  @Post(':id/disks')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Add a new disk (volume created, attached live + persistent when the VM runs)',
  })
  @ApiBody({ type: AttachVmDiskDto })
  @ApiAcceptedResponse({ type: TaskEntity, description: '`result.diskId`, `result.targetDev`' })
  @ApiErrors(400, 404, 409)
  async attachDisk(
    @UuidParam() id: string,
    @Body() dto: AttachVmDiskDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.hotplug.attachDisk(id, dto, meta));
  }

  @Delete(':id/disks/:diskId')
  @HttpCode(202)
  @ApiOperation({ summary: 'Detach a disk (live + persistent); deleteVolume=true also deletes it' })
  @ApiAcceptedResponse({ type: TaskEntity })
  @ApiErrors(400, 404, 409)
  async detachDisk(
    @UuidParam() id: string,
    @UuidParam('diskId') diskId: string,
    @Query() q: DetachVmDiskQuery,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.hotplug.detachDisk(id, diskId, q.deleteVolume ?? false, meta));
  }

  @Post(':id/nics')
  @HttpCode(202)
  @ApiOperation({ summary: 'Add a NIC (attached live + persistent when the VM runs)' })
  @ApiBody({ type: AttachVmNicDto })
  @ApiAcceptedResponse({ type: TaskEntity, description: '`result.nicId`, `result.mac`' })
  @ApiErrors(400, 404, 409)
  async attachNic(
    @UuidParam() id: string,
    @Body() dto: AttachVmNicDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.hotplug.attachNic(id, dto, meta));
  }

  @Delete(':id/nics/:nicId')
  @HttpCode(202)
  @ApiOperation({ summary: 'Remove a NIC (detached live + persistent)' })
  @ApiAcceptedResponse({ type: TaskEntity })
  @ApiErrors(400, 404, 409)
  async detachNic(
    @UuidParam() id: string,
    @UuidParam('nicId') nicId: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.hotplug.detachNic(id, nicId, meta));
  }

  @Post(':id/cdrom')
  @HttpCode(202)
  @ApiOperation({ summary: 'Insert an ISO into the CD-ROM drive (hdc) or eject it (isoPath null)' })
  @ApiBody({ type: ChangeCdromDto })
  @ApiAcceptedResponse({ type: TaskEntity })
  @ApiErrors(400, 404, 409)
  async changeCdrom(
    @UuidParam() id: string,
    @Body() dto: ChangeCdromDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.hotplug.changeCdrom(id, dto.isoPath, meta));
  }
}
