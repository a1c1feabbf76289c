import { Permission } from '@kelpie/shared-types';
import type { Page } from '@kelpie/shared-types';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Can, CanList, on } from '../auth/access.decorator';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { VmListQuery } from './vm.dto';
import { mapVm, VmResponse } from './vm.response';
import { VmsService } from './vms.service';

/** The /vms reads. Creating, editing and deleting a VM reach its host: vm-operations serves them
 * (VmLifecycleController) under the same paths. */
@ApiTags('vms')
@Controller('vms')
export class VmsController {
  constructor(readonly svc: VmsService) {}

  @Get()
  @CanList('vm')
  @ApiPage(VmResponse)
  @ApiErrors(400)
  async list(@Query() query: VmListQuery): Promise<Page<VmResponse>> {
    const page = await this.svc.list(query);
    return { ...page, items: page.items.map(mapVm) };
  }

  @Get(':id')
  @Can(Permission.View, on.param('vm'))
  @ApiOkResponse({ type: VmResponse })
  @ApiErrors(400, 404)
  async get(@UuidParam() id: string): Promise<VmResponse> {
    return mapVm(await this.svc.get(id));
  }
}
