import { Permission } from '@kelpie/shared-types';
import { Can, on } from '../auth/access.decorator';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { AttachNetworkDto, UpdateAttachmentDto } from './network.dto';
import { ClusterNetworkResponse, mapClusterNetwork } from './network.response';
import { NetworksService } from './networks.service';

@ApiTags('networks')
@Controller('clusters/:clusterId/networks')
export class ClusterNetworksController {
  constructor(private readonly networks: NetworksService) {}

  @Get()
  @Can(Permission.View, on.param('cluster', 'clusterId'))
  @ApiOperation({ summary: 'Networks attached to a cluster' })
  @ApiOkResponse({ type: [ClusterNetworkResponse] })
  @ApiErrors(400, 404)
  async list(@UuidParam('clusterId') clusterId: string): Promise<ClusterNetworkResponse[]> {
    return (await this.networks.listAttachments(clusterId)).map(mapClusterNetwork);
  }

  @Post()
  @Can(Permission.NetworkManage, on.param('cluster', 'clusterId'))
  @ApiOperation({ summary: 'Attach a network of the same datacenter to a cluster' })
  @ApiCreatedResponse({ type: ClusterNetworkResponse })
  @ApiErrors(400, 404, 409)
  async attach(
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: AttachNetworkDto,
    @Meta() meta: RequestMeta,
  ): Promise<ClusterNetworkResponse> {
    return mapClusterNetwork(await this.networks.attach(clusterId, dto, meta));
  }

  @Patch(':networkId')
  @Can(Permission.NetworkManage, on.param('cluster', 'clusterId'))
  @ApiOkResponse({ type: ClusterNetworkResponse })
  @ApiErrors(400, 404)
  async update(
    @UuidParam('clusterId') clusterId: string,
    @UuidParam('networkId') networkId: string,
    @Body() dto: UpdateAttachmentDto,
    @Meta() meta: RequestMeta,
  ): Promise<ClusterNetworkResponse> {
    return mapClusterNetwork(await this.networks.setAttachment(clusterId, networkId, dto.attachment, meta));
  }

  @Delete(':networkId')
  @Can(Permission.NetworkManage, on.param('cluster', 'clusterId'))
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  async detach(
    @UuidParam('clusterId') clusterId: string,
    @UuidParam('networkId') networkId: string,
    @Meta() meta: RequestMeta,
  ): Promise<void> {
    await this.networks.detach(clusterId, networkId, meta);
  }
}
