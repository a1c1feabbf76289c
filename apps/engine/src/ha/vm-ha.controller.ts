import { Permission } from '@kelpie/shared-types';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { VmHaStatusResponse } from './vm-ha.response';
import { VmHaService } from './vm-ha.service';

@ApiTags('vms')
@Controller('vms')
export class VmHaController {
  constructor(private readonly ha: VmHaService) {}

  @Get(':id/ha')
  @Can(Permission.View, on.param('vm'))
  @ApiOperation({
    summary: "The VM's high availability: state and last restart",
    description:
      'What HA does for the VM now (`off`, `protected`, `awaiting-fence`, `restart-failed`, `down`, with ' +
      'the reason) and its last HA restart — on another host after a fence, or in place after a crash — ' +
      'with the last failed or given-up restart when that is newer. Read from the audit log.',
  })
  @ApiOkResponse({ type: VmHaStatusResponse })
  @ApiErrors(400, 404)
  async status(@UuidParam() id: string): Promise<VmHaStatusResponse> {
    return this.ha.status(id);
  }
}
