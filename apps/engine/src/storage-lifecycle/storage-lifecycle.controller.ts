import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { Can, on } from '../auth/access.decorator';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { DISK_SIZE_MAX, DISK_SIZE_MIN } from '../disks/disk.entity';
import { TaskResponse } from '../tasks/task.response';
import { DiskResizeService } from './disk-resize.service';
import { StorageDomainHostStatusResponse } from './storage-domain-host.response';
import { StorageDestroyService } from './storage-destroy.service';
import { StorageLifecycleService } from './storage-lifecycle.service';

export class ResizeDiskDto {
  @ApiProperty({ minimum: DISK_SIZE_MIN, maximum: DISK_SIZE_MAX, description: 'The new, larger size.' })
  @IsInt()
  @Min(DISK_SIZE_MIN)
  @Max(DISK_SIZE_MAX)
  virtualSizeBytes!: number;
}

@ApiTags('storage-domains')
@Controller('storage-domains')
export class StorageLifecycleController {
  constructor(
    private readonly lifecycle: StorageLifecycleService,
    private readonly destroyer: StorageDestroyService,
  ) {}

  @Post(':id/attach')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Attach a detached storage domain to its datacenter',
    description: 'detached → inactive. 202 with a `storage_domain.attach` task.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async attach(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.attach(id, meta));
  }

  @Post(':id/activate')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Activate a storage domain on every host of its datacenter',
    description:
      'Every Up host of the datacenter defines, starts and autostarts the libvirt pool; hosts that come up ' +
      'later get it automatically. 202 with a `storage_domain.activate` task whose steps are the hosts. ' +
      'The domain becomes `active`, or `degraded` naming the hosts that failed; when no host can use it the ' +
      'task fails and the domain keeps its status.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409, 422)
  async activate(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.activate(id, meta));
  }

  @Post(':id/maintenance')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Deactivate a storage domain (maintenance)',
    description:
      'Refused (409, naming them) while VMs that are not down have disks on it. Every host stops and ' +
      'undefines the pool (the files stay). 202 with a `storage_domain.maintenance` task.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async maintenance(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.maintenance(id, meta));
  }

  @Post(':id/detach')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Detach an inactive storage domain from its datacenter',
    description: 'inactive or maintenance → detached. 202 with a `storage_domain.detach` task.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async detach(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.lifecycle.detach(id, meta));
  }

  @Post(':id/destroy')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Delete a storage domain and destroy the disks on it',
    description:
      'What `DELETE` refuses while disks live on the domain: every volume is deleted on the hosts, then ' +
      'the disk records and the domain. Refused (409) while the domain is in use or while any of its disks ' +
      'is attached to a VM (naming them). 202 with a `storage_domain.destroy` task.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409, 422)
  async destroy(
    @UuidParam() id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.destroyer.destroy(id, meta));
  }

  @Get(':id/hosts')
  @Can(Permission.View, on.param('storage_domain'))
  @ApiOperation({
    summary: "Each host's view of the storage domain",
    description:
      'Pool status, capacity and free bytes, the last check and its error, as the agents report them.',
  })
  @ApiOkResponse({ type: [StorageDomainHostStatusResponse] })
  @ApiErrors(400, 404)
  hosts(@UuidParam() id: string) {
    return this.lifecycle.hostViews(id);
  }
}

@ApiTags('disks')
@Controller('disks')
export class DiskResizeController {
  constructor(private readonly resizer: DiskResizeService) {}

  @Post(':id/resize')
  @Can(Permission.VmEdit, on.param('disk'))
  @ApiOperation({
    summary: 'Grow a disk on its host',
    description:
      '`blockresize` while its VM is up or paused (the guest sees the new size at once), `vol-resize` ' +
      'otherwise; a disk whose volume was never created only changes its record. 202 with a `disk.resize` task.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409, 503)
  async resize(
    @UuidParam() id: string,
    @Body() dto: ResizeDiskDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.resizer.resize(id, dto.virtualSizeBytes, meta));
  }
}
