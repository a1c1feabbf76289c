import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { CreateVnicProfileDto, UpdateVnicProfileDto } from './vnic-profile.dto';
import { mapVnicProfile, VnicProfileResponse } from './vnic-profile.response';
import { VnicProfilesService } from './vnic-profiles.service';

@ApiTags('networks')
@Controller('networks/:networkId/vnic-profiles')
export class VnicProfilesController {
  constructor(private readonly profiles: VnicProfilesService) {}

  @Get()
  @Can(Permission.View, on.param('network', 'networkId'))
  @ApiOperation({ summary: 'vNIC profiles of a network (the default one first)' })
  @ApiOkResponse({ type: [VnicProfileResponse] })
  @ApiErrors(400, 404)
  async list(@UuidParam('networkId') networkId: string): Promise<VnicProfileResponse[]> {
    return (await this.profiles.list(networkId)).map(mapVnicProfile);
  }

  @Get(':profileId')
  @Can(Permission.View, on.param('network', 'networkId'))
  @ApiOkResponse({ type: VnicProfileResponse })
  @ApiErrors(400, 404)
  async get(
    @UuidParam('networkId') networkId: string,
    @UuidParam('profileId') profileId: string,
  ): Promise<VnicProfileResponse> {
    return mapVnicProfile(await this.profiles.get(networkId, profileId));
  }

  @Post()
  @Can(Permission.NetworkManage, on.param('network', 'networkId'))
  @ApiOperation({
    summary: 'Create a vNIC profile (QoS applied with libvirt <bandwidth> to the NICs attached to it)',
  })
  @ApiCreatedResponse({ type: VnicProfileResponse })
  @ApiErrors(400, 404, 409)
  async create(
    @UuidParam('networkId') networkId: string,
    @Body() dto: CreateVnicProfileDto,
    @Meta() meta: RequestMeta,
  ): Promise<VnicProfileResponse> {
    return mapVnicProfile(await this.profiles.create(networkId, dto, meta));
  }

  @Patch(':profileId')
  @Can(Permission.NetworkManage, on.param('network', 'networkId'))
  @ApiOperation({
    summary: 'Change a profile; its NICs get the new QoS when their VM next starts (or is redefined)',
  })
  @ApiOkResponse({ type: VnicProfileResponse })
  @ApiErrors(400, 404, 409)
  async update(
    @UuidParam('networkId') networkId: string,
    @UuidParam('profileId') profileId: string,
    @Body() dto: UpdateVnicProfileDto,
    @Meta() meta: RequestMeta,
  ): Promise<VnicProfileResponse> {
    return mapVnicProfile(await this.profiles.update(networkId, profileId, dto, meta));
  }

  @Delete(':profileId')
  @Can(Permission.NetworkManage, on.param('network', 'networkId'))
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Delete a profile no NIC uses (409 naming the NICs and VMs otherwise)' })
  @ApiErrors(400, 404, 409)
  async remove(
    @UuidParam('networkId') networkId: string,
    @UuidParam('profileId') profileId: string,
    @Meta() meta: RequestMeta,
  ): Promise<void> {
    await this.profiles.remove(networkId, profileId, meta);
  }
}
