import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from '../tasks/task.response';
import { mapSnapshotTree, SnapshotTree } from './snapshot-tree.response';
import { CreateSnapshotDto, VmSnapshotsService } from './vm-snapshots.service';

@ApiTags('snapshots')
@Controller('vms/:id/snapshots')
export class VmSnapshotsController {
  constructor(private readonly svc: VmSnapshotsService) {}

  @Get()
  @Can(Permission.View, on.param('vm'))
  @ApiOkResponse({ type: SnapshotTree })
  @ApiErrors(400, 404)
  async tree(@UuidParam() id: string): Promise<SnapshotTree> {
    return mapSnapshotTree(await this.svc.list(id));
  }

  /** Internal (qcow2; with memory when the VM runs) or external disk-only (`--disk-only --atomic`). */
  @Post()
  @Can(Permission.VmSnapshot, on.param('vm'))
  @ApiBody({ type: CreateSnapshotDto })
  @ApiAcceptedResponse({
    type: TaskResponse,
    description: '`result.snapshotId`; `result.warning` past the limit',
  })
  @ApiErrors(400, 404, 409, 422)
  async create(
    @UuidParam() id: string,
    @Body() dto: CreateSnapshotDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.svc.create(id, dto, meta));
  }

  /** Internal snapshots only (libvirt 9 cannot revert external ones). */
  @Post(':sid/revert')
  @Can(Permission.VmSnapshot, on.param('vm'))
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async revert(
    @UuidParam() id: string,
    @UuidParam('sid') sid: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.svc.revert(id, sid, meta));
  }

  /** External snapshots are merged back (blockcommit) before their metadata and overlays go. */
  @Delete(':sid')
  @Can(Permission.VmSnapshot, on.param('vm'))
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async remove(
    @UuidParam() id: string,
    @UuidParam('sid') sid: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.svc.remove(id, sid, meta));
  }
}
