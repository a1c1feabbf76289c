import { Permission } from '@kelpie/shared-types';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { BalancePlanDoc } from './balancing.docs';
import { BalancingService } from './balancing.service';

@ApiTags('scheduling')
@Controller()
export class BalancingController {
  constructor(private readonly balancing: BalancingService) {}

  @Get('clusters/:id/balance/plan')
  @Can(Permission.View, on.param('cluster'))
  @ApiOperation({
    summary: 'Dry run of balancing: the migrations the next run would start, and why',
    description:
      "The plan the periodic balancing computes (also when it is off for the cluster): each host's state " +
      "against the policy's thresholds, the next batch of moves (each placed by the scheduler, so every " +
      'filter and affinity group holds), the VMs left alone in their cool-down, and for power saving the ' +
      'hosts that can be powered down.',
  })
  @ApiOkResponse({ type: BalancePlanDoc })
  @ApiErrors(400, 404)
  plan(@UuidParam() id: string) {
    return this.balancing.plan(id);
  }
}
