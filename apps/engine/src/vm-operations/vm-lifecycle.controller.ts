import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Body, Controller, Delete, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Task } from '@kelpie/shared-types';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from '../tasks/task.response';
import {
  AttachVmDiskDto,
  AttachVmNicDto,
  UpdateVmNicDto,
  ChangeCdromDto,
  DeleteVmQuery,
  DetachVmDiskQuery,
  ShutdownVmDto,
} from '../vms/vm-devices.dto';
import { CreateVmDto, UpdateVmDto } from '../vms/vm.dto';
import { mapVm, VmResponse } from '../vms/vm.response';
import { VmCdromService } from './vm-cdrom.service';
import { VmDiskHotplugService } from './vm-disk-hotplug.service';
import { VmNicHotplugService } from './vm-nic-hotplug.service';
import { VmNicUpdateService } from './vm-nic-update.service';
import { VmCreateService } from './vm-create.service';
import { VmDeleteService } from './vm-delete.service';
import { VmEditService } from './vm-edit.service';
import { PowerAction, VmPowerService } from './vm-power.service';

function PowerRoute(action: PowerAction, summary: string): MethodDecorator {
  return (target, key, descriptor) => {
    Post(`:id/${action}`)(target, key, descriptor);
    Can(Permission.VmPower, on.param('vm'))(target, key, descriptor);
    HttpCode(202)(target, key, descriptor);
    ApiOperation({
      summary,
      description:
        'Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 ' +
        'when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt ' +
        "reports the VM's new status.",
    })(target, key, descriptor);
    ApiAcceptedResponse({ type: TaskResponse })(target, key, descriptor);
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
    private readonly vmPower: VmPowerService,
    private readonly creates: VmCreateService,
    private readonly edits: VmEditService,
    private readonly deletes: VmDeleteService,
    private readonly diskHotplug: VmDiskHotplugService,
    private readonly nicHotplug: VmNicHotplugService,
    private readonly nicUpdate: VmNicUpdateService,
    private readonly cdrom: VmCdromService,
  ) {}

  @PowerRoute('start', 'Start (a VM on no host is placed and defined first)')
  async start(@UuidParam() id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) res: Response) {
    return acceptedTask(res, await this.vmPower.power(id, 'start', {}, meta));
  }

  @PowerRoute('shutdown', 'Graceful shutdown (ACPI); optional power-off after the timeout')
  @ApiBody({ type: ShutdownVmDto, required: false })
  async shutdown(
    @UuidParam() id: string,
    @Body() dto: ShutdownVmDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.vmPower.power(id, 'shutdown', dto ?? {}, meta));
  }

  @PowerRoute('poweroff', 'Power off at once (virsh destroy)')
  async poweroff(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.vmPower.power(id, 'poweroff', {}, meta));
  }

  @PowerRoute('reboot', 'Graceful reboot')
  async reboot(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.vmPower.power(id, 'reboot', {}, meta));
  }

  @PowerRoute('reset', 'Hard reset')
  async reset(@UuidParam() id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) res: Response) {
    return acceptedTask(res, await this.vmPower.power(id, 'reset', {}, meta));
  }

  @PowerRoute('suspend', 'Pause (virsh suspend)')
  async suspend(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.vmPower.power(id, 'suspend', {}, meta));
  }

  @PowerRoute('resume', 'Resume a paused VM')
  async resume(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.vmPower.power(id, 'resume', {}, meta));
  }

  @Post(':id/disks')
  @Can(Permission.VmEdit, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({
    summary: 'Add a new disk (volume created, attached live + persistent when the VM runs)',
  })
  @ApiBody({ type: AttachVmDiskDto })
  @ApiAcceptedResponse({ type: TaskResponse, description: '`result.diskId`, `result.targetDev`' })
  @ApiErrors(400, 404, 409)
  async attachDisk(
    @UuidParam() id: string,
    @Body() dto: AttachVmDiskDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.diskHotplug.attachDisk(id, dto, meta));
  }

  @Delete(':id/disks/:diskId')
  @Can(Permission.VmEdit, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({ summary: 'Detach a disk (live + persistent); deleteVolume=true also deletes it' })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async detachDisk(
    @UuidParam() id: string,
    @UuidParam('diskId') diskId: string,
    @Query() q: DetachVmDiskQuery,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.diskHotplug.detachDisk(id, diskId, q.deleteVolume ?? false, meta));
  }

  @Post(':id/nics')
  @Can(Permission.VmEdit, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({ summary: 'Add a NIC (attached live + persistent when the VM runs)' })
  @ApiBody({ type: AttachVmNicDto })
  @ApiAcceptedResponse({ type: TaskResponse, description: '`result.nicId`, `result.mac`' })
  @ApiErrors(400, 404, 409)
  async attachNic(
    @UuidParam() id: string,
    @Body() dto: AttachVmNicDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.nicHotplug.attachNic(id, dto, meta));
  }

  @Patch(':id/nics/:nicId')
  @Can(Permission.VmEdit, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({
    summary: 'Change a NIC: its vNIC profile/network (update-device) or its link (domif-setlink)',
    description:
      'Live and persistent when the VM runs (the guest keeps its NIC and MAC; on OVS the port gets the ' +
      "new network's VLAN tag), persistent only when it is stopped, records only when it is on no host.",
  })
  @ApiBody({ type: UpdateVmNicDto })
  @ApiAcceptedResponse({
    type: TaskResponse,
    description: '`result.profileId`, `result.networkId`, `result.linkUp`, `result.live`, `result.replugged`',
  })
  @ApiErrors(400, 404, 409)
  async updateNic(
    @UuidParam() id: string,
    @UuidParam('nicId') nicId: string,
    @Body() dto: UpdateVmNicDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.nicUpdate.updateNic(id, nicId, dto, meta));
  }

  @Delete(':id/nics/:nicId')
  @Can(Permission.VmEdit, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({ summary: 'Remove a NIC (detached live + persistent)' })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async detachNic(
    @UuidParam() id: string,
    @UuidParam('nicId') nicId: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.nicHotplug.detachNic(id, nicId, meta));
  }

  @Post(':id/cdrom')
  @Can(Permission.VmEdit, on.param('vm'))
  @HttpCode(202)
  @ApiOperation({ summary: 'Insert an ISO into the CD-ROM drive (hdc) or eject it (isoPath null)' })
  @ApiBody({ type: ChangeCdromDto })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async changeCdrom(
    @UuidParam() id: string,
    @Body() dto: ChangeCdromDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.cdrom.changeCdrom(id, dto, meta));
  }

  // ---- the /vms writes (the reads are the vms module's); operation ids kept from when one
  // controller served both ----

  @Post()
  @Can(Permission.VmCreate, on.body('cluster', 'clusterId'))
  @ApiOperation({
    operationId: 'VmsController_create',
    summary: 'Create a VM',
    description:
      'Without hostId/disks/nics/boot: records the definition only (201, touches no host). With any of them: ' +
      'records the VM, its disks and NICs and answers 202 with the `vm.create` task, which places the VM ' +
      '(scheduler or the given host), creates the volumes and defines the domain on that host.',
  })
  @ApiBody({ type: CreateVmDto })
  @ApiCreatedResponse({ type: VmResponse, description: 'definition only' })
  @ApiAcceptedResponse({ type: TaskResponse, description: 'the vm.create task; `target.id` is the VM' })
  @ApiErrors(400, 404, 409)
  @ApiResponse({
    status: 422,
    description: 'unprocessable: e.g. a storage domain type that cannot hold new volumes',
  })
  async create(
    @Body() dto: CreateVmDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VmResponse | Task> {
    const { vm, task } = await this.creates.create(dto, meta);
    return task ? acceptedTask(res, task) : mapVm(vm);
  }

  @Patch(':id')
  @Can(Permission.VmEdit, on.param('vm'))
  @ApiOperation({
    operationId: 'VmsController_update',
    description:
      'Persistent on the host (the definition) and, on a running VM, memory live up to maxMemoryMib; ' +
      'other hardware changes of a running VM wait for its next start (`pendingRestart`).',
  })
  @ApiBody({ type: UpdateVmDto })
  @ApiOkResponse({ type: VmResponse })
  @ApiErrors(400, 404, 409)
  @ApiResponse({ status: 503, description: 'host_unavailable: the VM host is not up' })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateVmDto,
    @Meta() meta: RequestMeta,
  ): Promise<VmResponse> {
    return mapVm(await this.edits.update(id, dto, meta));
  }

  @Delete(':id')
  @Can(Permission.VmDelete, on.param('vm'))
  @HttpCode(204)
  @ApiOperation({
    operationId: 'VmsController_remove',
    description:
      'A VM defined on a host: 202 + `vm.delete` task (power off with force=true, undefine, delete the ' +
      'volumes with withDisks=true, then the records). A VM on no host may still run on a host of its ' +
      'cluster (a move never recorded): 202 + `vm.delete` task that asks every host of the cluster first and ' +
      'deletes it where found, as above (`result.foundOn`); found nowhere, only the records go. A host that ' +
      'could not be asked fails the task naming it, unless force=true (the records go, `result.notAsked` ' +
      'names it). Deleted at once (204) when no host of the cluster ever connected.',
  })
  @ApiNoContentResponse()
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  @ApiResponse({ status: 503, description: 'host_unavailable: the VM host is not up' })
  async remove(
    @UuidParam() id: string,
    @Query() query: DeleteVmQuery,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Task | undefined> {
    const task = await this.deletes.remove(id, query, meta);
    if (task) return acceptedTask(res, task);
    return undefined;
  }
}
