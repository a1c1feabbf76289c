import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Header, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { HostCredentialsResponse, IssueHostCredentialsDto } from './host-credentials.dto';
import { ManualDeployCredentialsService } from './manual-deploy-credentials.service';

@ApiTags('hosts')
@Controller('hosts')
export class HostCredentialsController {
  constructor(private readonly manual: ManualDeployCredentialsService) {}

  @Post(':id/credentials')
  @Can(Permission.HostManage, on.param('host'))
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Issue the credentials file of a host whose agent is deployed by other means (shown once)',
    description:
      "For a host registered without SSH credentials (e.g. the Debian package): the answer is the agent's " +
      "`/etc/kelpie/credentials.json` — its own Redis user, the engine's command key, a TLS certificate and key, " +
      "and the host configuration the package applies (the datacenter's lockspace, the engine's soft-fence key line). " +
      'The password and the key are in this answer only. A host enrolled over SSH is a 409 (reinstall renews its ' +
      'credentials); a host that has credentials already needs `replace: true` (the agent using them is cut off).',
  })
  @ApiCreatedResponse({ type: HostCredentialsResponse })
  @ApiErrors(400, 404, 409)
  issue(@UuidParam() id: string, @Body() dto: IssueHostCredentialsDto, @Meta() meta: RequestMeta) {
    return this.manual.issue(id, dto.replace ?? false, meta);
  }
}
