import {
  ErrorCode,
  HostStatus,
  ObjectType,
  redisContactPoints,
  statusPhrase,
  Task,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { refOf } from '../crud/inventory.service';
import { TasksService } from '../tasks/tasks.service';
import { EngineSshKey } from '../trust/engine-ssh-key';
import { HostCredentialsService } from '../trust/host-credentials.service';
import { EnrollHostDto, SshCredentialsDto, UpdateHostDto } from '../hosts/host.dto';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { HostsService } from '../hosts/hosts.service';
import { ClusterRepository } from '../clusters/cluster.repository';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { StepFailure } from './enroll-steps';
import { type EnrollmentPorts, runEnrollment } from './enrollment-run';
import { datacenterLockspace } from './lockspace';
import { libvirtEndpoint } from './preflight-parsers';
import { type HostKey, readHostKey, type SshAuth, SshError } from './ssh-session';

export const ENROLL_TASK = 'host.enroll';
/** Statuses in which a host can be (re)enrolled: not while it evacuates. */
const ENROLLABLE: HostStatus[] = [
  HostStatus.Installing,
  HostStatus.Up,
  HostStatus.NonResponsive,
  HostStatus.Maintenance,
  HostStatus.Error,
];
const UNINSTALL_WAIT_MS = 20_000;

/**
 * Hosts joining over SSH: the host key is confirmed by the admin and pinned, the host is checked,
 * the agent installed and started, and the host is Up once its agent reports in. The SSH
 * credentials live in this request's memory only: never stored, logged, or put on the task.
 */
@Injectable()
export class EnrollmentService {
  private readonly logger = new Logger('Enrollment');

  constructor(
    private readonly hosts: HostsService,
    private readonly tasks: TasksService,
    private readonly credentials: HostCredentialsService,
    private readonly sshKey: EngineSshKey,
    private readonly commands: CommandBus,
    private readonly hostRepo: HostRepository,
    private readonly clusters: ClusterRepository,
    private readonly storageDomains: StorageDomainRepository,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** POST /hosts with credentials: 409 host_key_unconfirmed first (unless confirmed), then the task. */
  async enroll(dto: EnrollHostDto, meta: RequestMeta): Promise<Task> {
    const auth = authOf(dto);
    const target = { address: dto.address, port: dto.sshPort ?? 22, user: dto.sshUser ?? 'root' };
    const fingerprint = dto.expectedHostKeyFingerprint ?? (await this.askToConfirm(target));
    const host = await this.hosts.create(
      { ...dto, libvirtUri: dto.libvirtUri ?? `qemu+tls://${dto.address}/system` },
      meta,
      // The confirmed fingerprint is pinned from the start: a retry after a failed login keeps checking it.
      { sshPort: target.port, sshUser: target.user, sshHostKeyFingerprint: fingerprint },
    );
    return this.launch(host, target, auth, fingerprint, meta);
  }

  /** POST /hosts/{id}/enroll: enrolls a registered host or reinstalls (upgrades) an enrolled one. */
  async reinstall(id: string, dto: SshCredentialsDto, meta: RequestMeta): Promise<Task> {
    const host = await this.hosts.get(id);
    if (!ENROLLABLE.includes(host.status))
      throw invalidState(`host ${host.name} is ${statusPhrase(host.status)}: wait until it is done`, [
        { reason: `status is ${host.status}`, ref: refOf(ObjectType.Host, host) },
      ]);
    const auth = authOf(dto);
    const target = {
      address: host.address,
      port: dto.sshPort ?? host.sshPort ?? 22,
      user: dto.sshUser ?? host.sshUser ?? 'root',
    };
    const pinned = host.sshHostKeyFingerprint;
    if (pinned && dto.expectedHostKeyFingerprint && dto.expectedHostKeyFingerprint !== pinned)
      throw invalidState(
        `host ${host.name}'s SSH key is pinned to ${pinned}; a host with a new key is a new host`,
        [
          {
            field: 'expectedHostKeyFingerprint',
            reason: `pinned key is ${pinned}`,
            ref: refOf(ObjectType.Host, host),
          },
        ],
      );
    const fingerprint = pinned ?? dto.expectedHostKeyFingerprint ?? (await this.askToConfirm(target));
    if (host.status === HostStatus.Error)
      await this.hosts.setStatus(host.id, HostStatus.Installing, 'enrolling over SSH', meta);
    return this.launch(host, target, auth, fingerprint, meta);
  }

  /** PATCH of address/libvirt URI (in maintenance): the host at the new address must offer the pinned key. */
  async verifyMove(id: string, dto: UpdateHostDto): Promise<void> {
    const host = await this.hosts.get(id);
    if (!dto.address || dto.address === host.address || !host.sshHostKeyFingerprint) return;
    const key = await readHostKey({ address: dto.address, port: host.sshPort ?? 22 }).catch((e: Error) => {
      throw validationFailed(`cannot verify ${dto.address} over SSH: ${e.message}`, [
        { field: 'address', reason: e.message },
      ]);
    });
    if (key.fingerprint !== host.sshHostKeyFingerprint)
      throw invalidState(
        `the host at ${dto.address} offers SSH key ${key.fingerprint}, not ${host.name}'s pinned ${host.sshHostKeyFingerprint}`,
        [{ field: 'address', reason: `offers ${key.fingerprint}`, ref: refOf(ObjectType.Host, host) }],
      );
  }

  /** Before DELETE /hosts/{id}: an enrolled host's agent removes itself; its credentials are revoked after. */
  async uninstallAgent(host: HostEntity): Promise<string | null> {
    // Only an agent enrollment installed, and that ever reported in, can be asked to go.
    if (!host.sshHostKey || !host.lastHeartbeatAt) return null;
    const asked = this.commands.send(host.id, 'agent.uninstall', {});
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no answer within ${UNINSTALL_WAIT_MS / 1000} s`)),
        UNINSTALL_WAIT_MS,
      ).unref(),
    );
    try {
      await Promise.race([asked, timeout]);
      return null;
    } catch (e) {
      const why = `the agent of ${host.name} did not uninstall itself (${(e as Error).message}); its credentials are revoked, remove /opt/kelpie-agent, /etc/kelpie and /var/lib/kelpie-agent on the host by hand`;
      this.logger.warn(why);
      return why;
    }
  }

  revoke(hostId: string): Promise<void> {
    return this.credentials.revoke(hostId);
  }

  private async askToConfirm(target: { address: string; port: number }): Promise<never> {
    let key: HostKey;
    try {
      key = await readHostKey(target);
    } catch (e) {
      const field = e instanceof SshError && /refused/.test(e.message) ? 'sshPort' : 'address';
      throw new DomainError(ErrorCode.Unprocessable, (e as Error).message, [
        { field, reason: (e as Error).message },
      ]);
    }
    throw new DomainError(
      ErrorCode.HostKeyUnconfirmed,
      `confirm the SSH host key of ${target.address}:${target.port}: ${key.type} ${key.fingerprint} ` +
        '(compare with `ssh-keygen -lf` of the key in /etc/ssh on the host), then send the request again with it as expectedHostKeyFingerprint',
      [{ field: 'expectedHostKeyFingerprint', reason: key.fingerprint }],
    );
  }

  private async launch(
    host: HostEntity,
    target: { address: string; port: number; user: string },
    auth: SshAuth,
    fingerprint: string,
    meta: RequestMeta,
  ): Promise<Task> {
    const ref = refOf(ObjectType.Host, host);
    return this.tasks.launch(
      {
        type: ENROLL_TASK,
        target: ref,
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        locks: [ref],
      },
      async (ctx) => {
        try {
          return await runEnrollment(ctx, { host, target, auth, fingerprint }, this.ports());
        } catch (e) {
          const message = e instanceof StepFailure ? e.message : `enrollment failed: ${(e as Error).message}`;
          const current = await this.hosts.get(host.id);
          if (current.status === HostStatus.Installing) {
            await this.credentials.revoke(host.id).catch(() => undefined);
            await this.hosts.setStatus(host.id, HostStatus.Error, `enrollment failed at ${message}`, meta);
          }
          throw new DomainError(ErrorCode.Unprocessable, message);
        }
      },
    );
  }

  private ports(): EnrollmentPorts {
    return {
      bundleDir: this.config.agentBundleDir,
      redisPrefix: this.config.redisPrefix,
      agentMetrics: this.config.agentMetrics,
      engineKeyLine: this.sshKey.authorizedKeyLine,
      pinHostKey: async (host, key) => {
        if (host.sshHostKey === key.publicKey) return;
        await this.hosts.recordSsh(host.id, {
          sshPort: host.sshPort,
          sshUser: host.sshUser,
          sshHostKey: key.publicKey,
          sshHostKeyFingerprint: key.fingerprint,
        });
      },
      reach: async (host) => {
        const peers = await this.hostRepo.inCluster(host.clusterId);
        return {
          redis: redisContactPoints(this.config.agentRedisUrl).map((p) => ({
            name: p.kind === 'sentinel' ? 'Redis Sentinel' : 'Redis',
            host: p.host,
            port: p.port,
          })),
          peers: peers
            .filter((p) => p.id !== host.id && p.status === HostStatus.Up)
            .flatMap((p) => {
              const at = libvirtEndpoint(p.libvirtUri);
              return at ? [{ name: `host ${p.name}`, ...at }] : [];
            }),
        };
      },
      lockspace: (host) => this.lockspaceFor(host),
      issueCredentials: (hostId) => this.credentials.issue(hostId),
      forgetAgentReport: async (hostId) => {
        await this.hosts.updateRuntime(hostId, { capabilities: null });
      },
      firstHeartbeat: (hostId, since) => this.firstHeartbeat(hostId, since),
    };
  }

  private lockspaceFor(host: HostEntity): Promise<string | null> {
    return datacenterLockspace(this.clusters, this.storageDomains, host.clusterId);
  }

  private async firstHeartbeat(hostId: string, since: Date): Promise<HostStatus> {
    const deadline = Date.now() + this.config.enrollHeartbeatTimeoutMs;
    while (Date.now() < deadline) {
      const h = await this.hosts.get(hostId);
      const heard = h.lastHeartbeatAt && new Date(h.lastHeartbeatAt).getTime() > since.getTime();
      // Its hello comes after its virtualization probe (seconds): only then can VMs be placed there.
      const ready = heard && h.capabilities !== null;
      if (ready && h.status !== HostStatus.Installing && h.status !== HostStatus.NonResponsive)
        return h.status;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new StepFailure(
      `no heartbeat and capabilities from the agent within ${this.config.enrollHeartbeatTimeoutMs / 1000} s: see /var/lib/kelpie-agent/agent.log or journalctl -u kelpie-agent on the host`,
    );
  }
}

function authOf(dto: SshCredentialsDto): SshAuth {
  if ((dto.password === undefined) === (dto.privateKey === undefined))
    throw validationFailed('give either a password or a private key', [
      {
        field: dto.password === undefined ? 'password' : 'privateKey',
        reason: 'exactly one of password and privateKey',
      },
    ]);
  if (dto.password !== undefined) return { password: dto.password };
  return { privateKey: dto.privateKey!, ...(dto.passphrase ? { passphrase: dto.passphrase } : {}) };
}
