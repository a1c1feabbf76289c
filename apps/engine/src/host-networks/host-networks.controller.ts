import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, on } from '../auth/access.decorator';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from '../tasks/task.response';
import { HostNetworkSetupDto } from './host-network.dto';
import { HostNetworksService } from './host-networks.service';

@ApiTags('hosts')
@Controller('hosts')
export class HostNetworksController {
  constructor(private readonly networks: HostNetworksService) {}

  @Get(':id/nics')
  @Can(Permission.View, on.param('host'))
  @ApiOperation({
    summary: 'A host’s NICs, bridges and networks',
    description:
      'As the host’s agent last reported them (pushed on every link or address change): NICs with MAC, ' +
      'link state, speed, MTU, addresses and driver; bridges with their ports and the logical network each ' +
      'carries; the cluster’s networks the host lacks; the outcome of the latest network setup.',
  })
  @ApiOkResponse({ description: 'HostNetworkView (shared-types)' })
  @ApiErrors(400, 404)
  nics(@UuidParam() id: string) {
    return this.networks.view(id);
  }

  @Post(':id/network-setup')
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: 'Set the networks a host carries, safely',
    description:
      'The whole wanted state: each network on a NIC (a bridge per network, the network’s MTU, a VLAN ' +
      'device for tagged networks), with the bridge’s addresses for non-VM networks; networks not listed are ' +
      'removed. The agent applies it as a whole and keeps it only if the engine reaches it again within ' +
      '`connectivityTimeoutSeconds` (default 60); otherwise it restores the previous configuration by itself. ' +
      '202 with a `host.network_setup` task that ends `succeeded` (applied and persisted on the host) or ' +
      '`failed` with what happened (rolled back, refused, or failed and restored).',
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  async setup(
    @UuidParam() id: string,
    @Body() dto: HostNetworkSetupDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.networks.setup(id, dto, meta));
  }
}
