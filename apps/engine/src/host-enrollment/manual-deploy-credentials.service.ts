import { type AgentCredentials, EventSeverity, LOCKSPACE_PATTERN, ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { conflict } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { HostsService } from '../hosts/hosts.service';
import { ClusterRepository } from '../clusters/cluster.repository';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { EngineSshKey } from '../trust/engine-ssh-key';
import { HostCredentialsService } from '../trust/host-credentials.service';
import { datacenterLockspace } from './lockspace';

/**
 * Credentials for a host whose agent the admin deploys with their own tooling (the Debian package,
 * configuration management): the same `credentials.json` enrollment writes over SSH, handed to the
 * admin once. A host enrolled over SSH gets its credentials from enrollment (reinstall renews them),
 * so it is refused here: two sources would leave its installed agent with stale ones.
 *
 * They also carry what enrollment configures on the host itself (ADR 0060): the datacenter's lockspace
 * for libvirt's lock manager and the engine's soft-fence line for root's authorized_keys (its public
 * key, restricted to the soft-fence script). The package applies them before each agent start.
 */
@Injectable()
export class ManualDeployCredentialsService {
  constructor(
    private readonly hosts: HostsService,
    private readonly credentials: HostCredentialsService,
    private readonly events: EventsService,
    private readonly sshKey: EngineSshKey,
    private readonly clusters: ClusterRepository,
    private readonly storageDomains: StorageDomainRepository,
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
    const lockspace =
      (await datacenterLockspace(this.clusters, this.storageDomains, host.clusterId)) ?? 'direct';
    // The host refuses one it could misread (quotes, newlines, `..`): refused here first, before the
    // old credentials are replaced.
    if (!LOCKSPACE_PATTERN.test(lockspace))
      throw conflict(
        `the lockspace of host ${host.name}'s datacenter, ${JSON.stringify(lockspace)}, is not a path the host accepts (absolute, no quote, backslash, newline or ..): rename the shared storage domain's directory`,
        [{ reason: 'lockspace path', ref }],
      );
    const issued: AgentCredentials = {
      ...(await this.credentials.issue(host.id)),
      hostConfig: { lockspace, engineAuthorizedKey: this.sshKey.authorizedKeyLine },
    };
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
