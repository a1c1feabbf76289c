import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiBody,
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
import {
  AffinityGroupDoc,
  CreateAffinityGroupDto,
  PlacementPreviewDto,
  UpdateAffinityGroupDto,
} from './affinity-group.dto';
import { AffinityGroupsService } from './affinity-groups.service';
import { AffinityViolationDoc, SchedulingDecisionDoc } from './scheduling.docs';
import { PlacementService } from './placement.service';

const PREVIEW =
  'Runs the scheduler without placing anything: every host of the cluster (the current one left out when ' +
  'the VM runs) with the filter that refused it and why, or its score per weight of the cluster policy; ' +
  "`hostId` is the choice (null: no host fits, `summary` names each host's reason).";

@ApiTags('scheduling')
@Controller()
export class SchedulingController {
  constructor(
    private readonly placement: PlacementService,
    private readonly groups: AffinityGroupsService,
  ) {}

  @Get('vms/:id/placement')
  @Can(Permission.View, on.param('vm'))
  @ApiOperation({ summary: 'Where the scheduler would place the VM, host by host', description: PREVIEW })
  @ApiOkResponse({ type: SchedulingDecisionDoc })
  @ApiErrors(400, 404)
  preview(@UuidParam() id: string) {
    return this.placement.preview(id);
  }

  @Post('vms/:id/placement')
  @Can(Permission.View, on.param('vm'))
  @HttpCode(200)
  @ApiOperation({
    summary: 'Where the VM would go with other memory or vCPUs ("what if")',
    description: PREVIEW,
  })
  @ApiBody({ type: PlacementPreviewDto, required: false })
  @ApiOkResponse({ type: SchedulingDecisionDoc })
  @ApiErrors(400, 404)
  whatIf(@UuidParam() id: string, @Body() dto: PlacementPreviewDto) {
    return this.placement.preview(id, dto ?? {});
  }

  @Get('clusters/:id/affinity-groups')
  @Can(Permission.View, on.param('cluster'))
  @ApiOperation({ summary: "The cluster's affinity groups" })
  @ApiOkResponse({ type: [AffinityGroupDoc] })
  @ApiErrors(400, 404)
  list(@UuidParam() id: string) {
    return this.groups.list(id);
  }

  @Get('clusters/:id/affinity-violations')
  @Can(Permission.View, on.param('cluster'))
  @ApiOperation({
    summary: 'VMs that break an affinity group where they are defined now',
    description:
      'Per group member: a VM off the hosts it is pinned to, on a host its group keeps it off, sharing a ' +
      'host with a member of a negative group, or away from the other members of a positive one.',
  })
  @ApiOkResponse({ type: [AffinityViolationDoc] })
  @ApiErrors(400, 404)
  violations(@UuidParam() id: string) {
    return this.groups.violations(id);
  }

  @Post('clusters/:id/affinity-groups')
  @Can(Permission.ClusterManage, on.param('cluster'))
  @ApiOperation({
    summary: 'Create an affinity group',
    description:
      'VMs of the cluster kept on the same host (positive) or on different hosts (negative). Enforcing: ' +
      'every placement refuses hosts that break it; otherwise the scheduler prefers hosts that keep it.',
  })
  @ApiCreatedResponse({ type: AffinityGroupDoc })
  @ApiErrors(400, 404, 409)
  create(@UuidParam() id: string, @Body() dto: CreateAffinityGroupDto, @Meta() meta: RequestMeta) {
    return this.groups.create(id, dto, meta);
  }

  @Get('clusters/:id/affinity-groups/:groupId')
  @Can(Permission.View, on.param('cluster'))
  @ApiOperation({ summary: 'Get an affinity group' })
  @ApiOkResponse({ type: AffinityGroupDoc })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string, @UuidParam('groupId') groupId: string) {
    return this.groups.get(id, groupId);
  }

  @Patch('clusters/:id/affinity-groups/:groupId')
  @Can(Permission.ClusterManage, on.param('cluster'))
  @ApiOperation({ summary: 'Change an affinity group (vmIds replaces the members)' })
  @ApiOkResponse({ type: AffinityGroupDoc })
  @ApiErrors(400, 404, 409)
  update(
    @UuidParam() id: string,
    @UuidParam('groupId') groupId: string,
    @Body() dto: UpdateAffinityGroupDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.groups.update(id, groupId, dto, meta);
  }

  @Delete('clusters/:id/affinity-groups/:groupId')
  @Can(Permission.ClusterManage, on.param('cluster'))
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an affinity group' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  async remove(@UuidParam() id: string, @UuidParam('groupId') groupId: string, @Meta() meta: RequestMeta) {
    await this.groups.remove(id, groupId, meta);
  }
}
