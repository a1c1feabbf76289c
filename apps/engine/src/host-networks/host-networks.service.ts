import {
  BondSpec,
  ErrorCode,
  HostNetworkView,
  HostStatus,
  NetworkAttachmentSpec,
  NetworkSetupOutcome,
  ObjectType,
  statusPhrase,
  Task,
} from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterRepository } from '../clusters/cluster.repository';
import { HostNetworkStateService } from '../host-network-state/host-network-state.service';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { NetworkRepository } from '../networks/network.repository';
import { NicsService } from '../nics/nics.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { bondErrors, type FieldError } from './bond-validation';
import { HostNetworkSetupDto } from './host-network.dto';
import { NETWORK_SETUP_TASK, setupResult } from './network-setup-outcome';

/** Hosts whose agent takes a setup: connected (maintenance included: the usual time to rewire). */
const SETUP_STATUSES: HostStatus[] = [HostStatus.Up, HostStatus.NonOperational, HostStatus.Maintenance];
/** Failures after which only the host can tell what became of the setup (its next report does). */
const OUTCOME_ON_HOST = ['command_lost', 'timeout', 'connection_lost'];
const REPORT_POLL_MS = 1000;

@Injectable()
export class HostNetworksService {
  private readonly logger = new Logger('HostNetworkSetup');

  constructor(
    private readonly hosts: HostsService,
    private readonly state: HostNetworkStateService,
    private readonly bus: CommandBus,
    private readonly tasks: TasksService,
    private readonly nics: NicsService,
    private readonly networks: NetworkRepository,
    private readonly clusters: ClusterRepository,
  ) {}

  async view(hostId: string): Promise<HostNetworkView> {
    return this.state.view(await this.hosts.get(hostId));
  }

  async setup(hostId: string, dto: HostNetworkSetupDto, meta: RequestMeta): Promise<Task> {
    const host = await this.hosts.get(hostId);
    const ref = { type: ObjectType.Host, id: host.id, name: host.name };
    const reported = await this.state.view(host);
    const cluster = await this.clusters.byId(host.clusterId);
    const { attachments, bonds } = await this.resolve(host, cluster, dto, reported);
    if (!SETUP_STATUSES.includes(host.status))
      throw invalidState(
        `host ${host.name} is ${statusPhrase(host.status)}: its agent cannot take a network setup now`,
        [{ reason: `status is ${host.status}`, ref }],
      );
    await this.assertRemovedNetworksUnused(host, cluster, reported, attachments);
    const checkpoint = randomUUID();
    const timeoutMs = (dto.connectivityTimeoutSeconds ?? 60) * 1000;
    return this.tasks.launch(
      {
        type: NETWORK_SETUP_TASK,
        target: ref,
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        locks: [ref],
      },
      (ctx) => this.run(ctx, host, checkpoint, { attachments, bonds }, timeoutMs, meta),
    );
  }

  /** The request's networks as the host needs them (bridge, VLAN, MTU from the logical network), and
   * its bonds in the cluster's switch type. */
  private async resolve(
    host: HostEntity,
    cluster: ClusterEntity,
    dto: HostNetworkSetupDto,
    reported: HostNetworkView,
  ): Promise<{ attachments: NetworkAttachmentSpec[]; bonds: BondSpec[] }> {
    const ids = dto.attachments.map((a) => a.networkId);
    const found = new Map((await this.networks.byIds(ids)).map((n) => [n.id, n]));
    const nics = new Set(reported.nics.map((n) => n.name));
    const bondNames = new Set((dto.bonds ?? []).map((b) => b.name));
    const errors: FieldError[] = bondErrors(
      dto.bonds ?? [],
      dto.attachments,
      cluster.switchType,
      reported.reportedAt ? nics : null,
    );
    const seen = new Set<string>();
    let gateways = 0;
    dto.attachments.forEach((a, i) => {
      const n = found.get(a.networkId);
      if (!n)
        errors.push({
          field: `attachments[${i}].networkId`,
          reason: `network ${a.networkId} does not exist`,
        });
      else if (n.datacenterId !== cluster.datacenterId)
        errors.push({
          field: `attachments[${i}].networkId`,
          reason: `network ${n.name} belongs to another datacenter`,
        });
      if (seen.has(a.networkId))
        errors.push({ field: `attachments[${i}].networkId`, reason: 'listed twice' });
      seen.add(a.networkId);
      // Only judged once the agent reported its NICs; the agent refuses an unknown NIC itself too.
      if (reported.reportedAt && !nics.has(a.nic) && !bondNames.has(a.nic))
        errors.push({
          field: `attachments[${i}].nic`,
          reason: `host ${host.name} has no NIC ${a.nic} and the setup no bond of that name`,
        });
      if (a.gateway) gateways++;
    });
    if (gateways > 1)
      errors.push({ field: 'attachments', reason: 'only one network may carry the default gateway' });
    if (errors.length) throw new DomainError(ErrorCode.ValidationFailed, 'invalid network setup', errors);
    const bonds = (dto.bonds ?? []).map((b) => ({ ...b, switchType: cluster.switchType }));
    const attachments = dto.attachments.map((a) => {
      const n = found.get(a.networkId)!;
      return {
        network: n.name,
        bridge: n.bridge,
        nic: a.nic,
        switchType: cluster.switchType,
        vlanId: n.vlanId,
        mtu: n.mtu,
        ...(a.addresses ? { addresses: a.addresses } : {}),
        ...(a.gateway ? { gateway: a.gateway } : {}),
      };
    });
    return { attachments, bonds };
  }

  /** A network the setup takes off the host while running VMs have NICs on it is refused up front
   * (the agent would refuse it too, but only after the request reached the host). */
  private async assertRemovedNetworksUnused(
    host: HostEntity,
    cluster: ClusterEntity,
    reported: HostNetworkView,
    wanted: NetworkAttachmentSpec[],
  ): Promise<void> {
    const kept = new Set(wanted.map((a) => a.network));
    const removed = reported.attachments.map((a) => a.network).filter((name) => !kept.has(name));
    if (!removed.length) return;
    const networks = await this.networks.namedIn(cluster.datacenterId, removed);
    const users = await this.nics.inUseOnHost(
      host.id,
      networks.map((n) => n.id),
    );
    if (!users.length) return;
    const byNetwork = new Map(networks.map((n) => [n.id, n.name]));
    throw invalidState(
      `the setup removes ${[...new Set(users.map((u) => byNetwork.get(u.nic.networkId)))].join(', ')} from host ${host.name}, ` +
        `but VMs running there use it: ${users.map((u) => `${u.vm.name} (${u.nic.name})`).join(', ')}; ` +
        'migrate or stop them, or move their NICs to another network first',
      users.map((u) => ({
        reason: `NIC ${u.nic.name} is on network ${byNetwork.get(u.nic.networkId)}`,
        ref: { type: ObjectType.Vm, id: u.vm.id, name: u.vm.name },
      })),
    );
  }

  private async run(
    ctx: TaskContext,
    host: HostEntity,
    checkpoint: string,
    { attachments, bonds }: { attachments: NetworkAttachmentSpec[]; bonds: BondSpec[] },
    timeoutMs: number,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    // What an adopting engine needs to ask the host (it never sends the setup again).
    await ctx.checkpoint('applying', {
      checkpoint,
      hostId: host.id,
      timeoutMs,
      networks: attachments.map((a) => a.network),
      bonds: bonds.map((b) => b.name),
    });
    await ctx.progress(10, `applying ${attachments.length} network(s) on ${host.name}`);
    let confirming: Promise<unknown> | null = null;
    // The agent says when the change is in place; the confirmation has to travel the new paths.
    const onProgress = (p: unknown) => {
      const data = (p as { data?: { phase?: string; checkpoint?: string } } | undefined)?.data;
      if (confirming || data?.phase !== 'awaiting_confirmation' || data.checkpoint !== checkpoint) return;
      // Recorded first: the change is on the host and awaits its confirmation (crash tests stop here).
      confirming = ctx
        .checkpoint('confirming', {})
        .then(() =>
          this.bus.send(
            host.id,
            'host.network.confirm',
            { checkpoint },
            { correlationId: meta.correlationId ?? undefined },
          ),
        )
        .then(() => ctx.progress(80, `${host.name} reached after the change: keeping it`))
        .catch((e: Error) => this.logger.debug(`confirm ${host.name}: ${e.message}`));
    };
    let outcome: NetworkSetupOutcome;
    try {
      outcome = await this.bus.send(
        host.id,
        'host.network.setup',
        { checkpoint, attachments, bonds, connectivityTimeoutMs: timeoutMs },
        {
          taskId: ctx.task.id,
          correlationId: meta.correlationId ?? undefined,
          jobId: `netsetup-${checkpoint}`,
          onProgress,
        },
      );
    } catch (e) {
      if (!(e instanceof AgentCommandError) || !OUTCOME_ON_HOST.includes(e.code)) throw e;
      await ctx.progress(
        50,
        `${host.name} unreachable during the change: waiting for what its agent reports`,
      );
      outcome = await this.outcomeReported(host, checkpoint, timeoutMs + 120_000, e);
    }
    return setupResult(
      host,
      outcome,
      attachments.map((a) => a.network),
    );
  }

  /** The setup's outcome from the host's reports, when its command result cannot arrive. */
  private async outcomeReported(
    host: HostEntity,
    checkpoint: string,
    waitMs: number,
    cause: Error,
  ): Promise<NetworkSetupOutcome> {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const last = await this.state.lastSetup(host.id);
      if (last?.checkpoint === checkpoint) return last;
      await new Promise((r) => setTimeout(r, REPORT_POLL_MS));
    }
    throw new DomainError(
      ErrorCode.HostUnavailable,
      `host ${host.name} has not reported the outcome of the network setup (${cause.message}): check its console`,
    );
  }
}
