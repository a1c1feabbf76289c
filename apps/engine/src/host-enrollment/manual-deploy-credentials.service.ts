import { type AgentCredentials, EventSeverity, ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { conflict } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { HostsService } from '../hosts/hosts.service';
import { HostCredentialsService } from '../trust/host-credentials.service';

/**
 * Credentials for a host whose agent the admin deploys with their own tooling (the Debian package,
 * configuration management): the same `credentials.json` enrollment writes over SSH, handed to the
 * admin once. A host enrolled over SSH gets its credentials from enrollment (reinstall renews them),
 * so it is refused here: two sources would leave its installed agent with stale ones.
 */
@Injectable()
export class ManualDeployCredentialsService {
  constructor(
    private readonly hosts: HostsService,
    private readonly credentials: HostCredentialsService,
    private readonly events: EventsService,
  ) {}

  async issue(hostId: string, replace: boolean, meta: RequestMeta): Promise<AgentCredentials> {
    const host = await this.hosts.get(hostId);
    const ref = refOf(ObjectType.Host, host);
    if (host.sshHostKey)
      throw conflict(
        `host ${host.name} was enrolled over SSH: its agent's credentials are renewed by reinstalling it (POST /hosts/${host.id}/enroll)`,
        [{ reason: 'enrolled over SSH', ref }],
      );
    const issuedAt = await this.credentials.issuedAt(host.id);
    if (issuedAt && !replace)
      throw conflict(
        `host ${host.name} already has credentials (issued ${issuedAt.toISOString()}); replacing them cuts off the agent using them: send replace=true`,
        [{ field: 'replace', reason: 'credentials exist', ref }],
      );
    const issued = await this.credentials.issue(host.id);
    await this.events.record({
      severity: EventSeverity.Info,
      type: 'host.credentials_issued',
      message: `agent credentials issued for host ${host.name} (Redis user ${issued.redis.username})${
        issuedAt ? '; the ones issued before stop working' : ''
      }`,
      refs: [ref],
      correlationId: meta.correlationId,
    });
    return issued;
  }
}
