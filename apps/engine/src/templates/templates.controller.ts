import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClonesService } from '../clones/clones.service';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from '../tasks/task.response';
import { mapVm, VmResponse } from '../vms/vm.response';

import { CreateFromTemplateDto, MakeTemplateDto } from './template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@Controller()
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly clones: ClonesService,
  ) {}

  /** Turns a stopped VM into a template (`isTemplate: true`), optionally renamed; templates are never
   * started again. */
  @Post('vms/:id/template')
  @Can(Permission.TemplateManage, on.param('vm'))
  @ApiBody({ type: MakeTemplateDto, required: false })
  @ApiOkResponse({ type: VmResponse })
  @ApiErrors(400, 404, 409)
  async makeTemplate(
    @UuidParam() id: string,
    @Body() dto: MakeTemplateDto,
    @Meta() meta: RequestMeta,
  ): Promise<VmResponse> {
    return mapVm(await this.templates.makeTemplate(id, dto ?? {}, meta));
  }

  /** A new VM from a template, on the template's host: full copy or thin overlay. */
  @Post('templates/:id/vms')
  @Can(Permission.VmCreate, on.param('vm'))
  @ApiBody({ type: CreateFromTemplateDto })
  @ApiAcceptedResponse({ type: TaskResponse, description: 'the task; `result.vmId` is the new VM' })
  @ApiErrors(400, 404, 409, 422)
  async createVm(
    @UuidParam() id: string,
    @Body() dto: CreateFromTemplateDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.clones.fromTemplate(id, dto.name, dto.mode, meta));
  }
}
