import { Permission } from '@kelpie/shared-types';
import { Body, Delete, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { Controller } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, on } from '../auth/access.decorator';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { CrudController } from '../crud/crud.controller';
import { TaskResponse } from '../tasks/task.response';
import { EnrollmentService } from './enrollment.service';
import {
  CreateHostDto,
  EnrollHostDto,
  enrollsOverSsh,
  HostListQuery,
  SshCredentialsDto,
  UpdateHostDto,
} from '../hosts/host.dto';
import { HostEntity } from '../hosts/host.entity';
import { mapHost, HostResponse } from '../hosts/host.response';
import { HostsService } from '../hosts/hosts.service';

const NEVER_STORED =
  'The SSH password, private key and passphrase are used for this enrollment only: they are never stored, ' +
  'logged or written on the task, and are dropped when it ends.';

@ApiTags('hosts')
@Controller('hosts')
export class HostsController extends CrudController({
  entity: HostEntity,
  response: { type: HostResponse, map: mapHost },
  create: CreateHostDto,
  update: UpdateHostDto,
  list: HostListQuery,
  access: { type: 'host', manage: Permission.HostManage, createOn: on.body('cluster', 'clusterId') },
}) {
  constructor(
    readonly svc: HostsService,
    private readonly enrollment: EnrollmentService,
  ) {
    super();
  }

  @Post()
  @Can(Permission.HostManage, on.body('cluster', 'clusterId'))
  @ApiOperation({
    summary: 'Enroll a host over SSH, or register one whose agent is deployed by other means',
    description:
      'With `password` or `privateKey` the engine enrolls the host: without `expectedHostKeyFingerprint` it only ' +
      'reads the host key and answers 409 `host_key_unconfirmed` with the fingerprint (details[0].reason) for the ' +
      'admin to check and send back; with it, 202 and a `host.enroll` task: log in (a different key is refused), ' +
      'preflight (OS, CPU, /dev/kvm, libvirt, memory/disk, virt-host-validate, clock, Node.js, network), ' +
      'install and start the agent, then wait for its first heartbeat (host Up). Each step is a task step with its ' +
      `result; a failed one says what to fix and leaves nothing installed. ${NEVER_STORED} ` +
      'Without credentials: 201 and the host is registered, `installing` until its agent connects.',
  })
  @ApiBody({ type: EnrollHostDto })
  @ApiCreatedResponse({ type: HostResponse, description: 'Registered (no SSH credentials given).' })
  @ApiAcceptedResponse({ type: TaskResponse, description: 'Enrollment started (`host.enroll`).' })
  @ApiErrors(400, 404, 409, 422)
  override async create(
    @Body() dto: EnrollHostDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res?: Response,
  ): Promise<HostResponse> {
    if (!enrollsOverSsh(dto)) return mapHost(await this.svc.create(dto, meta));
    return acceptedTask(res!, await this.enrollment.enroll(dto, meta)) as never;
  }

  @Post(':id/enroll')
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: 'Reinstall (upgrade) the agent of a host over SSH, or enroll a registered host',
    description:
      'Same steps as an enrollment, against the pinned host key. Running VMs are not touched: only the agent ' +
      `restarts. ${NEVER_STORED}`,
  })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409, 422)
  async reinstall(
    @UuidParam() id: string,
    @Body() dto: SshCredentialsDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.enrollment.reinstall(id, dto, meta));
  }

  @Patch(':id')
  @Can(Permission.HostManage, on.param('host'))
  @ApiBody({ type: UpdateHostDto })
  @ApiOkResponse({ type: HostResponse })
  @ApiOperation({
    summary: 'Change a host',
    description:
      'Address and libvirt URI change only in maintenance (409 otherwise); an enrolled host at a new address must ' +
      'offer its pinned SSH key there.',
  })
  @ApiErrors(400, 404, 409)
  override async update(
    @UuidParam() id: string,
    @Body() dto: UpdateHostDto,
    @Meta() meta: RequestMeta,
  ): Promise<HostResponse> {
    return mapHost(await this.svc.update(id, dto, meta, () => this.enrollment.verifyMove(id, dto)));
  }

  @Delete(':id')
  @Can(Permission.HostManage, on.param('host'))
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({
    summary: 'Remove a host (not Up)',
    description:
      "An enrolled host's agent is told to stop and remove itself first; the host's credentials are revoked.",
  })
  @ApiErrors(400, 404, 409)
  override async remove(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.svc.remove(id, meta, (host) => this.enrollment.uninstallAgent(host));
    await this.enrollment.revoke(id);
  }
}
