import { Permission } from '@kelpie/shared-types';
import { Can, SignedIn, on } from '../auth/access.decorator';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from '../tasks/task.response';
import { CloudInitDto, CloudInitPreviewDto } from './cloud-init.dto';
import { CloudInitService } from './cloud-init.service';

@ApiTags('vms')
@Controller()
export class CloudInitController {
  constructor(private readonly svc: CloudInitService) {}

  /** Builds a NoCloud seed ISO (label `cidata`) on the VM's host and puts it in a CD-ROM drive. */
  @Post('vms/:id/cloud-init')
  @Can(Permission.VmEdit, on.param('vm'))
  @ApiBody({ type: CloudInitDto })
  @ApiAcceptedResponse({
    type: TaskResponse,
    description: '`result.isoPath`, `result.target`, `result.live`',
  })
  @ApiErrors(400, 404, 409, 422)
  async attach(
    @UuidParam() id: string,
    @Body() dto: CloudInitDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.svc.attach(id, dto, meta));
  }

  /** Checks a seed without a VM and answers the user-data it would carry (nothing is written). */
  @Post('cloud-init/preview')
  @SignedIn()
  @HttpCode(200)
  @ApiBody({ type: CloudInitDto })
  @ApiOkResponse({ type: CloudInitPreviewDto })
  @ApiErrors(400)
  preview(@Body() dto: CloudInitDto): CloudInitPreviewDto {
    return { userData: this.svc.userData(dto) };
  }
}
