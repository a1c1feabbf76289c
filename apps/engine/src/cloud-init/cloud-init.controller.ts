import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskEntity } from '../tasks/task.entity';
import { CloudInitDto } from './cloud-init.dto';
import { CloudInitService } from './cloud-init.service';

@ApiTags('vms')
@Controller('vms')
export class CloudInitController {
  constructor(private readonly svc: CloudInitService) {}

  /** Builds a NoCloud seed ISO (label `cidata`) on the VM's host and puts it in a CD-ROM drive. */
  @Post(':id/cloud-init')
  @ApiBody({ type: CloudInitDto })
  @ApiAcceptedResponse({ type: TaskEntity, description: '`result.isoPath`, `result.target`, `result.live`' })
  @ApiErrors(400, 404, 409, 422)
  async attach(
    @UuidParam() id: string,
    @Body() dto: CloudInitDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.svc.attach(id, dto, meta));
  }
}
