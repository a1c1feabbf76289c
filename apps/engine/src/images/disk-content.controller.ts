import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { acceptedTask } from '../common/http/accepted';
import { TaskResponse } from '../tasks/task.response';
import { DiskMoveService } from './disk-move.service';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { DiskDownloadService } from './disk-download.service';

export class MoveDiskDto {
  @ApiProperty({
    format: 'uuid',
    description: 'An active file domain (dir, local, nfs) of the same datacenter.',
  })
  @IsUUID('all')
  storageDomainId!: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10000,
    description:
      'Live moves only: the most MiB/s the copy reads, so that it does not starve the other VMs of the ' +
      'storage. Unlimited when absent.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  bandwidthMiBps?: number;
}

@ApiTags('disks')
@Controller('disks')
export class DiskContentController {
  constructor(
    private readonly downloads: DiskDownloadService,
    private readonly mover: DiskMoveService,
  ) {}

  @Post(':id/move')
  @Can(Permission.VmEdit, on.param('disk'))
  @ApiOperation({
    summary: 'Move a disk to another storage domain (its VM down or running)',
    description:
      'VM down: copied on a host with both pools active (qemu-img convert). VM up or paused: moved live on ' +
      'its host (a new volume in the target domain, blockcopy with progress, pivot; `POST /tasks/{id}/cancel` ' +
      'aborts it and the VM stays on the source). Then the disk is switched and the old volume deleted. ' +
      '202 with a `disk.move` task; 409 while the VM is in another state.',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async move(
    @UuidParam() id: string,
    @Body() dto: MoveDiskDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.mover.move(id, dto.storageDomainId, meta, dto.bandwidthMiBps));
  }

  @Get(':id/content')
  @Can(Permission.VmEdit, on.param('disk'))
  @ApiProduces('application/octet-stream')
  @ApiOperation({
    summary: "Download a disk's image (its VM down), streamed from a host",
    description:
      'The volume as stored (qcow2 or raw). 409 while its VM is not down or a snapshot overlay is on it.',
  })
  @ApiOkResponse({ description: 'The image bytes' })
  @ApiErrors(400, 404, 409)
  async download(@UuidParam() id: string, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const d = await this.downloads.open(id, meta);
    const file = `${d.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.${d.format === 'raw' ? 'img' : 'qcow2'}`;
    res.status(200);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(d.sizeBytes));
    res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    await pipeline(d.socket, res).catch(() => d.socket.destroy());
  }
}
