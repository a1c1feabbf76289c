import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { IsName } from '../common/validation/validators';
import { TaskResponse } from '../tasks/task.response';
import { ClonesService } from './clones.service';

export class CloneVmDto {
  @IsName()
  name!: string;
}

@ApiTags('vms')
@Controller('vms')
export class ClonesController {
  constructor(private readonly clones: ClonesService) {}

  /** Full copy of a stopped VM on its host: new UUID, name and MACs; disks copied without backing files. */
  @Post(':id/clone')
  @Can(Permission.VmCreate, on.param('vm'))
  @ApiBody({ type: CloneVmDto })
  @ApiAcceptedResponse({ type: TaskResponse, description: 'the clone task; `result.vmId` is the new VM' })
  @ApiErrors(400, 404, 409, 422)
  async clone(
    @UuidParam() id: string,
    @Body() dto: CloneVmDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.clones.cloneVm(id, dto.name, meta));
  }
}
