import {
  COMMANDS,
  DEFAULT_MIGRATION_POLICY,
  DomainMigrationInfo,
  EffectiveMigrationPolicy,
  ErrorCode,
  HostStatus,
  MigrationOptions,
  MigrationTargetOption,
  MigrationTargets,
  ObjectType,
  SchedulingDecision,
  SchedulingFilter,
  statusPhrase,
  VmStatus,
} from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { AgentCommandError } from '../agents/agent-command.error';
import { apiCodeOf } from '../agents/agent-error.mapping';
import { CommandBus } from '../agents/command-bus.service';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterRepository } from '../clusters/cluster.repository';
import { conflict, DomainError, invalidState, notFound } from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { hostRef, MigrationRepository, vmRef } from './migration.repository';
import { affinityBlocks } from '../scheduling/affinity-conflict';
import { SchedulingService } from '../scheduling/scheduling.service';
import { describeMissing, missingNetworks } from '../scheduling/network-filter';
import { acceptsNewVms, freeMemoryMiB, Reservations, TARGET_MEMORY_MARGIN_MIB } from './migration-scheduler';
import { MigrateVmDto } from './vm-migration.dto';
import { cpuModelRefusal } from './cpu-refusal';

/** Engine defaults for what Cluster.migrationPolicy does not carry. */
export const MIGRATION_DEFAULTS = {
  storage: 'shared',
  maxTimePerGiBSeconds: 600,
  abortOnNoProgressSeconds: 60,
  allowUnsafeCache: false,
  /** Floor of the whole-migration time limit. */
  minTotalSeconds: 120,
} as const;
const SAFE_CACHES = new Set(['none', 'directsync']);

/** Everything decided before a migration starts. */
export interface MigrationPlan {
  vm: VmEntity;
  source: HostEntity;
  target: HostEntity;
  targetReason: string;
  policy: EffectiveMigrationPolicy;
  options: MigrationOptions;
  info: DomainMigrationInfo;
}

/** What the checks of one VM found, before any target is chosen. */
interface VmContext {
  vm: VmEntity;
  source: HostEntity;
  cluster: ClusterEntity;
  policy: EffectiveMigrationPolicy;
  info: DomainMigrationInfo;
  memoryMiB: number;
  /** Disks on host-local storage domains (a shared-storage migration would leave them behind). */
  localDisks: { targetDev: string; domainName: string }[];
}

export const unprocessable = (message: string, reasons: string[], field?: string) =>
  new DomainError(
    ErrorCode.Unprocessable,
    message,
    reasons.map((reason) => (field ? { field, reason } : { reason })),
  );

/**
 * Every check before a migration: the VM (running, not migrating, no passthrough device, safe disk
 * caches), its source host, and each possible target (state, memory, CPU, concurrency, and — asked
 * of the target's agent — storage paths and networks). Nothing here changes anything; a failed check
 * is a 409/422 with the reason, and `targets()` reports the same checks host by host for the portal.
 */
@Injectable()
export class MigrationPlanner {
  constructor(
    private readonly vms: VmRepository,
    private readonly hosts: HostRepository,
    private readonly clusters: ClusterRepository,
    private readonly migrations: MigrationRepository,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly bus: CommandBus,
    private readonly scheduling: SchedulingService,
  ) {}

  async plan(vmId: string, dto: MigrateVmDto, reservations?: Reservations): Promise<MigrationPlan> {
    const vm = await this.vms.byId(vmId);
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    // A requested target is read while the source's agent is asked about the VM.
    const requested = dto.targetHostId ? this.hosts.find(dto.targetHostId) : undefined;
    requested?.catch(() => undefined);
    if (dto.targetHostId) await this.assertCarriesNetworks(vm, dto.targetHostId, requested!);
    const ctx = await this.vmContext(vm, dto);
    const { source, info, policy } = ctx;
    const deviceProblems = this.deviceProblems(ctx);
    if (deviceProblems.length)
      throw unprocessable(
        `VM ${vm.name} cannot be live-migrated: ${deviceProblems.join('; ')}`,
        deviceProblems,
      );

    const requestedHost = dto.targetHostId
      ? this.requestedTarget(vm, source, dto.targetHostId, await requested!)
      : null;
    const options = requestedHost
      ? [{ host: requestedHost, problems: await this.targetProblems(requestedHost, ctx, reservations) }]
      : await this.evaluateTargets(ctx, reservations);
    const decision = await this.decideAmong(ctx, options, reservations);
    if (!decision.hostId) {
      // The planner's own words where it refused the host, the scheduler's otherwise (affinity, CPU model...).
      const rejected = decision.hosts.map((v, i) => {
        const own = options[i].problems;
        return `${v.hostName}: ${own.length ? own.join(', ') : v.filteredBy!.reason}`;
      });
      if (requestedHost) {
        const reasons = options[0].problems.length
          ? options[0].problems
          : [decision.hosts[0].filteredBy!.reason];
        const cpu = options[0].problems.length
          ? null
          : cpuModelRefusal(vm, requestedHost, decision.hosts[0], ctx.cluster.cpuModel);
        if (cpu) throw cpu;
        if (!options[0].problems.length && affinityBlocks(decision).length)
          throw conflict(`host ${requestedHost.name} cannot receive VM ${vm.name}: ${reasons.join('; ')}`, [
            { field: 'targetHostId', reason: reasons[0]! },
          ]);
        throw unprocessable(
          `host ${requestedHost.name} cannot receive VM ${vm.name}: ${reasons.join('; ')}`,
          reasons,
          'targetHostId',
        );
      }
      if (affinityBlocks(decision).length)
        throw conflict(
          `no host can receive VM ${vm.name} without breaking an enforcing affinity group: ${rejected.join('; ')}`,
          rejected.map((reason) => ({ reason })),
        );
      throw unprocessable(
        `no host can receive VM ${vm.name}${rejected.length ? `: ${rejected.join('; ')}` : ': the cluster has no other host'}`,
        rejected.length ? rejected : ['no other host in the cluster'],
      );
    }
    const target = options.find((o) => o.host.id === decision.hostId)!.host;
    const targetReason = requestedHost ? `requested: ${target.name}` : `scheduler chose ${decision.summary}`;
    const parsedUri = COMMANDS['vm.migrate'].payload.shape.destinationUri.safeParse(target.libvirtUri);
    if (!parsedUri.success)
      throw unprocessable(
        `host ${target.name} has a libvirt URI migration cannot use: ${target.libvirtUri}`,
        ['libvirtUri must be qemu[+tcp|+tls|+ssh]://host/system'],
      );
    return { vm, source, target, targetReason, policy, options: this.options(ctx), info };
  }

  /** From the target's last network report, before any host is asked: each network of the VM's NICs
   * must have its bridge there (a host that never reported is left to its agent's check). */
  private async assertCarriesNetworks(
    vm: VmEntity,
    targetId: string,
    target: Promise<HostEntity | null>,
  ): Promise<void> {
    const [needs, bridges] = await Promise.all([
      this.scheduling.repo.networksOf(vm.id),
      this.scheduling.repo.bridgesOf([targetId]),
    ]);
    const missing = missingNetworks(needs, bridges.get(targetId) ?? null);
    if (!missing.length) return;
    const name = (await target)?.name ?? targetId;
    throw new DomainError(
      ErrorCode.Unprocessable,
      `host ${name} cannot receive VM ${vm.name}: ${describeMissing(missing)}`,
      missing.map((n) => ({
        field: 'targetHostId',
        reason: `host ${name} lacks network ${n.name} (bridge ${n.bridge})`,
        ref: { type: ObjectType.Network, id: n.id, name: n.name },
      })),
    );
  }

  /** The checks of `plan()` for every other host of the cluster, reported instead of thrown. */
  async targets(vmId: string, dto: MigrateVmDto): Promise<MigrationTargets> {
    const vm = await this.vms.byId(vmId);
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    let ctx: VmContext;
    try {
      ctx = await this.vmContext(vm, dto);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === ErrorCode.NotFound) throw e;
      const reason = e.message;
      const all = await this.hosts.inCluster(vm.clusterId);
      const others = all.filter((h) => h.id !== vm.hostId);
      return {
        vmId,
        sourceHostId: vm.hostId ?? '',
        vmProblems: [reason],
        targets: others.map((h) => option(h, [reason], false)),
        recommendation: `no target: ${reason}`,
      };
    }
    const vmProblems = this.deviceProblems(ctx);
    const evaluated = await this.evaluateTargets(ctx);
    const decision = vmProblems.length ? null : await this.decideAmong(ctx, evaluated);
    return {
      vmId,
      sourceHostId: ctx.source.id,
      vmProblems,
      targets: evaluated.map((o) =>
        option(
          o.host,
          [...vmProblems, ...o.problems, ...schedulerOnly(decision, o.host.id)],
          o.host.id === decision?.hostId,
        ),
      ),
      recommendation: decision?.hostId
        ? `scheduler chose ${decision.summary}`
        : vmProblems.length
          ? `no target: ${vmProblems.join('; ')}`
          : 'no host of the cluster passes the pre-checks',
    };
  }

  /** The one scheduler decides among the targets, the planner's checks standing in for its agent checks. */
  private decideAmong(
    ctx: VmContext,
    options: { host: HostEntity; problems: string[] }[],
    reservations?: Reservations,
  ) {
    const problems = new Map(options.map((o) => [o.host.id, o.problems]));
    return this.scheduling.decide(
      {
        id: ctx.vm.id,
        name: ctx.vm.name,
        clusterId: ctx.vm.clusterId,
        memoryMib: ctx.memoryMiB,
        vcpus: ctx.vm.vcpus,
      },
      options.map((o) => o.host),
      { pending: reservations, checks: () => Promise.resolve(problems) },
    );
  }

  effectivePolicy(cluster: ClusterEntity, dto: MigrateVmDto): EffectiveMigrationPolicy {
    const c = { ...DEFAULT_MIGRATION_POLICY, ...(cluster.migrationPolicy ?? {}) };
    return {
      maxBandwidthMiBps: dto.maxBandwidthMiBps !== undefined ? dto.maxBandwidthMiBps : c.maxBandwidthMiBps,
      maxDowntimeMs: dto.maxDowntimeMs ?? c.maxDowntimeMs,
      autoConverge: dto.autoConverge ?? c.autoConverge,
      postcopy: dto.postcopy ?? (c.postCopy ? 'on-stall' : 'off'),
      compressed: dto.compressed ?? c.compressed,
      storage: dto.storage ?? MIGRATION_DEFAULTS.storage,
      maxTimePerGiBSeconds: dto.maxTimePerGiBSeconds ?? MIGRATION_DEFAULTS.maxTimePerGiBSeconds,
      abortOnNoProgressSeconds: dto.abortOnNoProgressSeconds ?? MIGRATION_DEFAULTS.abortOnNoProgressSeconds,
      allowUnsafeCache: dto.allowUnsafeCache ?? MIGRATION_DEFAULTS.allowUnsafeCache,
      encrypted: cluster.migrationEncrypted,
    };
  }

  /** The VM must be running, not migrating, on a reachable host; asks its agent for the domain. */
  private async vmContext(vm: VmEntity, dto: MigrateVmDto): Promise<VmContext> {
    if (vm.status !== VmStatus.Up || !vm.hostId) {
      throw invalidState(`VM ${vm.name} is ${vm.status}: only a running VM can be live-migrated`, [
        { reason: `status is ${vm.status}`, ref: vmRef(vm) },
      ]);
    }
    const [activeId, source, cluster, snapshots, localDisks] = await Promise.all([
      this.migrations.activeIdOf(vm.id),
      this.hosts.byId(vm.hostId),
      this.clusters.byId(vm.clusterId),
      this.migrations.snapshotCountOf(vm.id),
      this.migrations.hostLocalDisksOf(vm.id),
    ]);
    if (activeId)
      throw invalidState(`VM ${vm.name} is already migrating`, [
        { reason: 'a migration is running', ref: vmRef(vm) },
      ]);
    // libvirt refuses it ("cannot migrate domain with N snapshots") only after the task has started.
    if (snapshots > 0)
      throw invalidState(
        `VM ${vm.name} has ${snapshots} snapshot(s): libvirt cannot live-migrate a domain with snapshots; delete them first`,
        [{ reason: `${snapshots} snapshot(s)`, ref: vmRef(vm) }],
      );
    if (
      source.status !== HostStatus.Up &&
      source.status !== HostStatus.PreparingForMaintenance &&
      source.status !== HostStatus.NonOperational
    ) {
      throw invalidState(`host ${source.name} of VM ${vm.name} is ${statusPhrase(source.status)}`, [
        { reason: `status is ${source.status}`, ref: hostRef(source) },
      ]);
    }
    const policy = this.effectivePolicy(cluster, dto);
    const info = await this.migrationInfo(source, vm);
    if (info.state !== 'running')
      throw invalidState(
        `VM ${vm.name} is ${info.state} on ${source.name}: only a running VM can be live-migrated`,
        [{ reason: `libvirt state is ${info.state}`, ref: vmRef(vm) }],
      );
    const memoryMiB = Math.max(vm.memoryMib, Math.ceil(info.memoryKiB / 1024));
    return { vm, source, cluster, policy, info, memoryMiB, localDisks };
  }

  private requestedTarget(
    vm: VmEntity,
    source: HostEntity,
    id: string,
    target: HostEntity | null,
  ): HostEntity {
    if (!target) {
      throw new DomainError(ErrorCode.NotFound, `host ${id} does not exist`, [
        { field: 'targetHostId', reason: 'not found', ref: { type: ObjectType.Host, id } },
      ]);
    }
    if (target.id === source.id)
      throw invalidState(`VM ${vm.name} already runs on ${target.name}`, [
        { field: 'targetHostId', reason: 'target is the source host', ref: hostRef(target) },
      ]);
    if (target.clusterId !== vm.clusterId)
      throw invalidState(`host ${target.name} is in another cluster than VM ${vm.name}`, [
        { field: 'targetHostId', reason: 'target is in another cluster', ref: hostRef(target) },
      ]);
    if (!acceptsNewVms(target))
      throw invalidState(`host ${target.name} is ${statusPhrase(target.status)}: it cannot receive VMs`, [
        { field: 'targetHostId', reason: `status is ${target.status}`, ref: hostRef(target) },
      ]);
    return target;
  }

  /** Every other host of the cluster with its problems (none: eligible) and scheduler figures. */
  private async evaluateTargets(ctx: VmContext, reservations?: Reservations) {
    const all = await this.hosts.inCluster(ctx.vm.clusterId);
    // Hosts are asked at the same time: one pre-check round trip, not one per host.
    return Promise.all(
      all
        .filter((host) => host.id !== ctx.source.id)
        .map(async (host) => {
          const problems = acceptsNewVms(host)
            ? await this.targetProblems(host, ctx, reservations)
            : [`host is ${statusPhrase(host.status)}: it cannot receive VMs`];
          return { host, problems };
        }),
    );
  }

  private deviceProblems({ info, policy, localDisks }: VmContext): string[] {
    const problems: string[] = [];
    if (policy.storage === 'shared')
      for (const d of localDisks)
        problems.push(
          `disk ${d.targetDev} is on host-local storage domain ${d.domainName}: the target has no copy of it; migrate with storage: copy-all`,
        );
    if (info.hostdevs > 0)
      problems.push(`${info.hostdevs} host device(s) passed through (hostdev) cannot be live-migrated`);
    if (policy.storage === 'shared' && !policy.allowUnsafeCache) {
      for (const d of info.disks) {
        if (d.device !== 'disk' || d.readonly || d.shareable) continue;
        if (!d.cache || !SAFE_CACHES.has(d.cache))
          problems.push(
            `disk ${d.target} uses cache=${d.cache ?? 'default'}: live migration with shared storage needs none or directsync (or allowUnsafeCache: true)`,
          );
      }
    }
    return problems;
  }

  private async targetProblems(
    target: HostEntity,
    { source, cluster, info, policy, memoryMiB }: VmContext,
    reservations?: Reservations,
  ): Promise<string[]> {
    const problems: string[] = [];
    const free = freeMemoryMiB(target, reservations);
    if (free === null) problems.push('no memory report from its agent yet');
    else if (free < memoryMiB + TARGET_MEMORY_MARGIN_MIB)
      problems.push(
        `not enough free memory (${free} MiB free, needs ${memoryMiB + TARGET_MEMORY_MARGIN_MIB} MiB)`,
      );
    const sc = source.capabilities?.cpu;
    const tc = target.capabilities?.cpu;
    if (!sc || !tc) problems.push('CPU capabilities not reported yet');
    else if (sc.arch !== tc.arch)
      problems.push(`CPU architecture ${tc.arch} differs from the source's ${sc.arch}`);
    else if (cluster.cpuModel === null && (sc.model !== tc.model || sc.vendor !== tc.vendor))
      problems.push(
        `CPU ${tc.vendor} ${tc.model} differs from the source's ${sc.vendor} ${sc.model} and the cluster has no common CPU model`,
      );
    const limit = async () => {
      const active = await this.migrations.activeCounts(target.id);
      return active.incoming >= this.config.migrationMaxIncoming
        ? [`already receiving ${active.incoming} migration(s) (limit ${this.config.migrationMaxIncoming})`]
        : [];
    };
    if (problems.length) return [...problems, ...(await limit())];
    // The count and the agent's check are independent: side by side, one round trip.
    const [limited, checked] = await Promise.all([limit(), this.targetCheck(target, info, policy)]);
    return [...limited, ...checked];
  }

  /** Asked of the target's agent: are the VM's disks, bridges and networks there? */
  private async targetCheck(
    target: HostEntity,
    info: DomainMigrationInfo,
    policy: EffectiveMigrationPolicy,
  ): Promise<string[]> {
    const paths = info.disks
      .filter((d) => d.type === 'file' || d.type === 'block')
      .flatMap((d) => (d.path ? [d.path] : []));
    try {
      const check = await this.bus.send(target.id, 'host.migration-target-check', {
        storage: policy.storage,
        paths: paths.slice(0, 64),
        bridges: info.interfaces.flatMap((i) => (i.bridge ? [i.bridge] : [])).slice(0, 64),
        networks: info.interfaces.flatMap((i) => (i.network ? [i.network] : [])).slice(0, 64),
        tls: policy.encrypted === true,
      });
      return check.problems;
    } catch (e) {
      return [`its agent did not answer the pre-check (${(e as Error).message})`];
    }
  }

  private options({ policy, memoryMiB }: VmContext): MigrationOptions {
    // Disk sizes are not known for external VMs: copy modes get the same per-GiB budget plus the floor.
    const gib = (memoryMiB * 1024 * 1024) / 1024 ** 3;
    return {
      maxBandwidthMiBps: policy.maxBandwidthMiBps,
      maxDowntimeMs: policy.maxDowntimeMs,
      autoConverge: policy.autoConverge,
      postcopy: policy.postcopy,
      compressed: policy.compressed,
      storage: policy.storage,
      // libvirt only trusts network filesystems as shared; Kelpie checked that every disk is visible
      // at the same path on the target (and that caches are safe, or allowed), so it takes the call.
      unsafe: policy.storage === 'shared' || policy.allowUnsafeCache,
      abortOnNoProgressSeconds: policy.abortOnNoProgressSeconds,
      maxTotalSeconds: Math.min(
        86_400,
        Math.max(MIGRATION_DEFAULTS.minTotalSeconds, Math.ceil(gib * policy.maxTimePerGiBSeconds)),
      ),
      progressIntervalMs: 500,
      tls: policy.encrypted === true,
    };
  }

  /** A read-only question to the source agent; an unreachable host is a 503, a refusal a 409. */
  private async migrationInfo(host: HostEntity, vm: VmEntity): Promise<DomainMigrationInfo> {
    try {
      return await this.bus.send(host.id, 'vm.migration-info', { uuid: vm.id });
    } catch (e) {
      if (!(e instanceof AgentCommandError)) throw e;
      const message =
        e.code === 'domain_not_found'
          ? `the VM is not defined on ${host.name} (inventory out of date?)`
          : `host ${host.name} could not describe the VM: ${e.message} (${e.code})`;
      throw new DomainError(apiCodeOf(e), message, [{ reason: e.message, ref: hostRef(host) }]);
    }
  }
}

function option(host: HostEntity, problems: string[], recommended: boolean): MigrationTargetOption {
  return {
    hostId: host.id,
    hostName: host.name,
    hostStatus: host.status,
    eligible: problems.length === 0,
    problems,
    freeMemoryMiB: freeMemoryMiB(host),
    recommended,
  };
}

/** What the scheduler refused a target for beyond the planner's own checks (affinity, CPU model...). */
function schedulerOnly(decision: SchedulingDecision | null, hostId: string): string[] {
  const refused = decision?.hosts.find((v) => v.hostId === hostId)?.filteredBy;
  return refused &&
    refused.filter !== SchedulingFilter.Status &&
    refused.filter !== SchedulingFilter.HostChecks
    ? [refused.reason]
    : [];
}
