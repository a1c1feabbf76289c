import { Permission } from '@kelpie/shared-types';
import type { Page } from '@kelpie/shared-types';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Can, CanList, on } from '../auth/access.decorator';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { VmListQuery } from './vm.dto';
import { VmEntity } from './vm.entity';
import { VmsService } from './vms.service';

/** The /vms reads. Creating, editing and deleting a VM reach its host: vm-operations serves them
 * (VmLifecycleController) under the same paths. */
@ApiTags('vms')
@Controller('vms')
export class VmsController {
  constructor(readonly svc: VmsService) {}

  @Get()
  @CanList('vm')
  @ApiPage(VmEntity)
  @ApiErrors(400)
  list(@Query() query: VmListQuery): Promise<Page<VmEntity>> {
    return this.svc.list(query);
  }

  @Get(':id')
  @Can(Permission.View, on.param('vm'))
  @ApiOkResponse({ type: VmEntity })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<VmEntity> {
    return this.svc.get(id);
  }
}
