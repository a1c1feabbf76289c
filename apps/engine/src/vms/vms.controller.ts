import { Body, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { Controller } from '@nestjs/common';
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
import type { Page, Task } from '@kelpie/shared-types';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskEntity } from '../tasks/task.entity';
import { VmLifecycleService } from '../vm-operations/vm-lifecycle.service';
import { DeleteVmQuery } from './vm-devices.dto';
import { CreateVmDto, UpdateVmDto, VmListQuery } from './vm.dto';
import { VmEntity } from './vm.entity';
import { VmsService } from './vms.service';

@ApiTags('vms')
@Controller('vms')
export class VmsController {
  constructor(
    readonly svc: VmsService,
    private readonly lifecycle: VmLifecycleService,
  ) {}

  @Get()
  @ApiPage(VmEntity)
  @ApiErrors(400)
  list(@Query() query: VmListQuery): Promise<Page<VmEntity>> {
    return this.svc.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: VmEntity })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<VmEntity> {
    return this.svc.get(id);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a VM',
    description:
      'Without hostId/disks/nics/boot: records the definition only (201, touches no host). With any of them: ' +
      'records the VM, its disks and NICs and answers 202 with the `vm.create` task, which places the VM ' +
      '(scheduler or the given host), creates the volumes and defines the domain on that host.',
  })
  @ApiBody({ type: CreateVmDto })
  @ApiCreatedResponse({ type: VmEntity, description: 'definition only' })
  @ApiAcceptedResponse({ type: TaskEntity, description: 'the vm.create task; `target.id` is the VM' })
  @ApiErrors(400, 404, 409)
  @ApiResponse({
    status: 422,
    description: 'unprocessable: e.g. a storage domain type that cannot hold new volumes',
  })
  async create(
    @Body() dto: CreateVmDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VmEntity | Task> {
    const { vm, task } = await this.lifecycle.create(dto, meta);
    return task ? acceptedTask(res, task) : vm;
  }

  @Patch(':id')
  @ApiOperation({
    description:
      'Persistent on the host (the definition) and, on a running VM, memory live up to maxMemoryMib; ' +
      'other hardware changes of a running VM wait for its next start (`pendingRestart`).',
  })
  @ApiBody({ type: UpdateVmDto })
  @ApiOkResponse({ type: VmEntity })
  @ApiErrors(400, 404, 409)
  @ApiResponse({ status: 503, description: 'host_unavailable: the VM host is not up' })
  update(@UuidParam() id: string, @Body() dto: UpdateVmDto, @Meta() meta: RequestMeta): Promise<VmEntity> {
    return this.lifecycle.update(id, dto, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    description:
      'A VM on no host is deleted at once (204). A VM defined on a host: 202 + `vm.delete` task (power off ' +
      'with force=true, undefine, delete the volumes with withDisks=true, then the records).',
  })
  @ApiNoContentResponse()
  @ApiAcceptedResponse({ type: TaskEntity })
  @ApiErrors(400, 404, 409)
  @ApiResponse({ status: 503, description: 'host_unavailable: the VM host is not up' })
  async remove(
    @UuidParam() id: string,
    @Query() query: DeleteVmQuery,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Task | undefined> {
    const task = await this.lifecycle.remove(id, query, meta);
    if (task) return acceptedTask(res, task);
    return undefined;
  }
}
