import {
  CommandName,
  CommandPayload,
  DiskBus,
  DiskCache,
  DiskFormat,
  ErrorCode,
  HostStatus,
  NicModel,
  ObjectType,
  Task,
  TaskStep,
  VmStatus,
} from '@kelpie/shared-types';
import { assertNoThinVms } from '../templates/template-rules';
import { agentCodeOf } from '../agents/agent-error.mapping';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskEntity } from '../disks/disk.entity';
import { DisksService } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier, findReferenced, refOf } from '../crud/inventory.service';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { NicsService } from '../nics/nics.service';
import { PlacementService } from '../scheduling/placement.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StreamService } from '../stream/stream.service';
import { waitUntil } from '../stream/wait-until';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { CreateVmDiskDto, CreateVmNicDto, DeleteVmQuery, ShutdownVmDto } from '../vms/vm-devices.dto';
import { CreateVmDto, UpdateVmDto } from '../vms/vm.dto';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { UndoStack } from '../common/undo-stack';
import { HostlessVmSearch, planHostlessDelete } from './hostless-search';
import { assertProvisionedVolumesExist } from './provisioned-volumes';
import { buildVmSpec, poolNameFor, volumeDeletionFor, volumeNameFor } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { EXPECTED_STATUS } from '../vm-guard/vm-state-table';

export type PowerAction = 'start' | 'shutdown' | 'poweroff' | 'reboot' | 'reset' | 'suspend' | 'resume';

const GIB = 1024 ** 3;
/** Checkpoints of provisioning (vm.create, and vm.start of a VM on no host): what an adopting engine
 * needs to remove what a half-done provisioning left on the host (vm-create-adoption.ts). */
export const PROVISION_PHASE = { placed: 'placed', volumes: 'volumes', defining: 'defining' } as const;
export const CREATE_TASK = 'vm.create';
/** Checkpoint of a power task: its command is on the way to `hostId` (vm-power-adoption.ts). */
export const POWER_SENT_PHASE = 'power';
/** The start sent again after the VM was defined anew on a host that had lost it. */
export const POWER_REDEFINED_PHASE = `${POWER_SENT_PHASE}-redefined`;
/** A VM delete's first step (the host and whether its disks go too). */
export const DELETE_PHASE = 'deleting';
export const DELETE_TASK = 'vm.delete';
export const EDIT_TASK = 'vm.edit';
export const EDIT_PHASE = 'editing';
/** How long a task waits for libvirt's events to confirm the final status. */
const CONFIRM_TIMEOUT_MS: Record<PowerAction, number> = {
  start: 30_000,
  shutdown: 15_000,
  poweroff: 15_000,
  reboot: 15_000,
  reset: 15_000,
  suspend: 15_000,
  resume: 15_000,
};
/** While waiting for a status, re-read the VM this often in case a stream message was lost. */
const STATUS_RECHECK_MS = 1_000;
const ACTIVE_STATUSES: VmStatus[] = [VmStatus.Up, VmStatus.Paused];

interface ProvisionSpec {
  disks: CreateVmDiskDto[];
  nics: CreateVmNicDto[];
}

/**
 * The VM lifecycle: provisioning on a host (scheduler → pools → volumes → domain XML), power
 * actions confirmed by libvirt's events, deletion and persistent/live edits (hot-plug: vm-hotplug.service.ts). Every action
 * is checked against the state table (vm-state-table.ts) and the host's status before anything is
 * sent to a host; long actions are tasks.
 */
@Injectable()
export class VmLifecycleService {
  private readonly logger = new Logger('VmLifecycle');
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly vms: VmsService,
    private readonly disksService: DisksService,
    private readonly nicsService: NicsService,
    @InjectRepository(VmEntity) private readonly vmRepo: Repository<VmEntity>,
    @InjectRepository(DiskEntity) private readonly diskRepo: Repository<DiskEntity>,
    @InjectRepository(NicEntity) private readonly nicRepo: Repository<NicEntity>,
    @InjectRepository(HostEntity) private readonly hostRepo: Repository<HostEntity>,
    @InjectRepository(ClusterEntity) private readonly clusterRepo: Repository<ClusterEntity>,
    @InjectRepository(StorageDomainEntity) private readonly sdRepo: Repository<StorageDomainEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly netRepo: Repository<LogicalNetworkEntity>,
    private readonly tasks: TasksService,
    private readonly scheduler: PlacementService,
    private readonly checks: VmGuard,
    events: EventsService,
    private readonly stream: StreamService,
    private readonly hostless: HostlessVmSearch,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  // ---------------------------------------------------------------- create / provision

  /** True when the create request asks for a VM on a host (202 + task), not just a definition. */
  static provisions(dto: CreateVmDto): boolean {
    return (
      dto.hostId !== undefined || dto.disks !== undefined || dto.nics !== undefined || dto.boot !== undefined
    );
  }

  async create(dto: CreateVmDto, meta: RequestMeta): Promise<{ vm: VmEntity; task?: Task }> {
    if (!VmLifecycleService.provisions(dto)) return { vm: await this.vms.create(dto, meta) };
    const cluster = await findReferenced(this.clusterRepo, ObjectType.Cluster, dto.clusterId, 'clusterId');
    if (dto.hostId) await this.checks.checkChosenHost(dto.hostId, cluster);
    const disks = dto.disks ?? [];
    const nics = dto.nics ?? [];
    for (const [i, d] of disks.entries())
      await this.checks.checkStorageDomain(d.storageDomainId, cluster, `disks[${i}].storageDomainId`);
    for (const [i, n] of nics.entries())
      await this.checks.checkNetwork(n.networkId, cluster, `nics[${i}].networkId`);
    const boot = dto.boot ?? { kind: 'disk' as const };
    if (boot.kind === 'cdrom')
      await this.checks.checkIsoPath(boot.isoPath!, cluster.datacenterId, 'boot.isoPath');
    if (boot.kind !== 'kernel' && (boot.kernel || boot.initrd || boot.cmdline)) {
      throw validationFailed('kernel, initrd and cmdline need boot.kind "kernel"', [
        { field: 'boot.kind', reason: 'must be "kernel" when kernel/initrd/cmdline are given' },
      ]);
    }
    const macs = nics.map((n) => n.mac).filter((m): m is string => !!m);
    if (new Set(macs).size !== macs.length)
      throw validationFailed('duplicate MAC addresses', [
        { field: 'nics', reason: 'MAC addresses must differ' },
      ]);

    // Records first (the name/MAC uniqueness and every DB constraint answer here, before any host work).
    const vm = await this.vms.create(dto, meta);
    try {
      await this.vmRepo.update(
        { id: vm.id },
        {
          boot:
            boot.kind === 'kernel'
              ? {
                  kind: 'kernel',
                  kernel: boot.kernel!,
                  ...(boot.initrd ? { initrd: boot.initrd } : {}),
                  ...(boot.cmdline ? { cmdline: boot.cmdline } : {}),
                }
              : boot.kind === 'cdrom'
                ? { kind: 'cdrom' }
                : { kind: 'disk' },
          cdromIsoPath: boot.kind === 'cdrom' ? boot.isoPath! : null,
        },
      );
      await this.createDeviceRecords(vm, { disks, nics }, meta);
    } catch (err) {
      await this.dropRecords(vm.id, meta).catch(() => undefined);
      throw err;
    }
    const task = await this.tasks.launch(
      {
        type: CREATE_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
      },
      async (ctx) => {
        try {
          const placed = await this.provision(ctx, vm.id, dto.hostId ?? null);
          return { vmId: vm.id, ...placed };
        } catch (err) {
          await this.dropRecords(vm.id, meta).catch((e: Error) =>
            this.logger.warn(`cleanup of ${vm.id}: ${e.message}`),
          );
          throw err;
        }
      },
    );
    return { vm: await this.vms.get(vm.id), task };
  }

  private async createDeviceRecords(vm: VmEntity, spec: ProvisionSpec, meta: RequestMeta): Promise<void> {
    const short = vm.name.slice(0, 50);
    for (const [i, d] of spec.disks.entries()) {
      await this.disksService.create(
        {
          name: d.name ?? `${short}-disk${i + 1}`,
          storageDomainId: d.storageDomainId,
          virtualSizeBytes: d.sizeGiB * GIB,
          format: d.format ?? DiskFormat.Qcow2,
          bus: d.bus ?? DiskBus.Virtio,
          cache: d.cache ?? DiskCache.None,
          bootable: d.bootable ?? i === 0,
          vmId: vm.id,
        },
        meta,
      );
    }
    for (const n of spec.nics) {
      await this.nicsService.create(
        { vmId: vm.id, networkId: n.networkId, model: n.model ?? NicModel.Virtio, mac: n.mac, name: n.name },
        meta,
      );
    }
  }

  /** Deletes a VM record and everything recorded for it (a failed create). */
  private async dropRecords(vmId: string, meta: RequestMeta): Promise<void> {
    const vm = await this.vmRepo.findOneBy({ id: vmId });
    if (!vm) return;
    await this.diskRepo.delete({ vmId });
    await this.vmRepo.delete({ id: vmId });
    await this.notify.deleted(ObjectType.Vm, vm, meta);
  }

  /**
   * Places a VM on a host and defines it there: scheduler (reason on the task), storage pools, volumes
   * for its disks, domain XML from the typed spec. On failure everything made on the host is undone.
   */
  private async provision(
    ctx: TaskContext,
    vmId: string,
    hostId: string | null,
  ): Promise<{ hostId: string; hostName: string; placement: string; domainName: string }> {
    const vm = await this.vms.get(vmId);
    const disks = await this.diskRepo.find({ where: { vmId }, order: { targetDev: 'ASC' } });
    const nics = await this.nicRepo.find({ where: { vmId } });
    const sds = await this.sdRepo.findBy({ id: In([...new Set(disks.map((d) => d.storageDomainId))]) });
    const networks = await this.netRepo.findBy({ id: In([...new Set(nics.map((n) => n.networkId))]) });
    const steps: TaskStep[] = [];
    const step = async (pct: number, name: string, message: string) => {
      steps.push({ name, status: 'done', message });
      await ctx.progress(pct, message, { steps: [...steps] });
    };

    const placement = await this.scheduler.place({
      clusterId: vm.clusterId,
      memoryMib: vm.memoryMib,
      paths: [...sds.map((s) => s.path), ...(vm.cdromIsoPath ? [dirOf(vm.cdromIsoPath)] : [])],
      bridges: networks.map((n) => n.bridge),
      hostId,
      vmId,
    });
    if (!placement.host) {
      steps.push({ name: 'schedule', status: 'failed', message: placement.reason });
      await ctx.progress(5, placement.reason, { steps: [...steps] });
      throw new DomainError(ErrorCode.Unprocessable, placement.reason);
    }
    const host = await this.hostRepo.findOneByOrFail({ id: placement.host.id });
    await step(10, 'schedule', `${hostId ? 'requested host' : 'scheduler chose'} ${placement.reason}`);
    await this.assertVolumesExist(host, vm, disks, sds, ctx);
    await ctx.checkpoint(PROVISION_PHASE.placed, { hostId: host.id });
    await this.vms.setStatus(vmId, vm.status, { hostId: host.id, reason: vm.statusReason });

    // Each resource made on the host registers its removal right away; a failure unwinds them.
    const undo = new UndoStack(this.logger);
    try {
      const pools = new Map<string, string>();
      for (const sd of sds) {
        const res = await this.checks.send(
          host,
          'storage.ensure-pool',
          { name: poolNameFor(sd), path: sd.path },
          ctx,
        );
        pools.set(sd.id, res.pool);
      }
      if (sds.length) await step(20, 'storage', `storage pools: ${[...pools.values()].join(', ')}`);
      // Only never-provisioned disks get a volume; the others were checked to exist above.
      const fresh = disks.filter((x) => x.provisionedAt === null);
      const volumes = fresh.map((d) => ({ pool: pools.get(d.storageDomainId)!, name: volumeNameFor(d) }));
      await ctx.checkpoint(PROVISION_PHASE.volumes, { hostId: host.id, volumes });
      for (const d of fresh) {
        const pool = pools.get(d.storageDomainId)!;
        const volume = { pool, name: volumeNameFor(d) };
        const res = await this.checks.send(
          host,
          'volume.create',
          { ...volume, capacityBytes: d.virtualSizeBytes, format: d.format },
          ctx,
        );
        // Only what this call made. (A volume made by an agent whose answer was lost is left to the
        // garbage collector.) Removed again, it held nothing: the disk is unprovisioned again.
        if (res.created)
          undo.onFailure(`volume ${volume.name}`, async () => {
            await this.checks.send(host, 'volume.delete', volume);
            await this.diskRepo.update({ id: d.id }, { provisionedAt: null });
          });
        const provisionedAt = new Date();
        await this.diskRepo.update(
          { id: d.id },
          { volumePath: res.path, allocationBytes: res.allocationBytes, provisionedAt },
        );
        Object.assign(d, { volumePath: res.path, provisionedAt });
      }
      if (disks.length) await step(50, 'volumes', `volumes: ${disks.map((d) => d.volumePath).join(', ')}`);
      const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
      const spec = {
        ...buildVmSpec(
          vm,
          disks,
          nics,
          new Map(networks.map((n) => [n.id, n])),
          host.capabilities,
          cluster.switchType,
        ),
        ...(placement.cpu ? { cpu: placement.cpu } : {}),
      };
      await ctx.checkpoint(PROVISION_PHASE.defining, { hostId: host.id, volumes });
      const res = await this.checks.send(host, 'vm.define-spec', { spec }, ctx);
      undo.onFailure(`domain ${res.domain.name}`, () =>
        this.checks.send(host, 'vm.undefine', { uuid: vmId }),
      );
      await step(90, 'define', `defined ${res.domain.name} (${spec.virtType}) on ${host.name}`);
      return {
        hostId: host.id,
        hostName: host.name,
        placement: placement.reason,
        domainName: res.domain.name,
      };
    } catch (err) {
      await undo.unwind();
      await this.vmRepo.update({ id: vmId }, { hostId: null });
      throw err;
    }
  }

  /** 422 when a disk that was ever provisioned lost its volume (see provisioned-volumes.ts). */
  private async assertVolumesExist(
    host: HostEntity,
    vm: VmEntity,
    disks: DiskEntity[],
    sds: StorageDomainEntity[],
    ctx?: TaskContext,
  ): Promise<void> {
    await assertProvisionedVolumesExist(vm.name, disks, sds, async (paths) => {
      const res = await this.checks.send(host, 'host.check-resources', { paths, bridges: [] }, ctx);
      return res.missingPaths;
    });
  }

  /** Before a start that will provision: the same check on an Up host of the VM's cluster, so the
   * caller gets the 422 at once instead of a failed task. */
  private async assertVolumesExistBeforeStart(vm: VmEntity): Promise<void> {
    const disks = await this.diskRepo.findBy({ vmId: vm.id });
    if (!disks.some((d) => d.provisionedAt !== null)) return;
    const host = await this.hostRepo.findOneBy({ clusterId: vm.clusterId, status: HostStatus.Up });
    if (!host) return; // the scheduler will refuse with its own reason
    const sds = await this.sdRepo.findBy({ id: In([...new Set(disks.map((d) => d.storageDomainId))]) });
    await this.assertVolumesExist(host, vm, disks, sds);
  }

  // ---------------------------------------------------------------- power

  async power(id: string, action: PowerAction, dto: ShutdownVmDto, meta: RequestMeta): Promise<Task> {
    const vm = await this.vms.get(id);
    this.checks.guard(vm, action);
    const leaving = action === 'start' ? await this.maintenanceHostToLeave(vm) : null;
    const host = vm.hostId && !leaving ? await this.checks.upHost(vm.hostId) : null;
    if (!host && action !== 'start')
      throw invalidState(`VM ${vm.name} is not defined on any host`, [
        { reason: 'no host', ref: refOf(ObjectType.Vm, vm) },
      ]);
    if (!host && action === 'start') {
      await this.assertVolumesExistBeforeStart(vm);
      await this.scheduler.assertPlaceable(vm.id);
    }
    const desired: Partial<Record<PowerAction, VmStatus>> = {
      start: VmStatus.Up,
      shutdown: VmStatus.Down,
      poweroff: VmStatus.Down,
      suspend: VmStatus.Paused,
      resume: VmStatus.Up,
    };
    return this.tasks.launch(
      {
        type: `vm.${action}`,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.checks.recheck(id, action),
      },
      async (ctx) => {
        if (desired[action]) await this.vmRepo.update({ id }, { desiredStatus: desired[action] });
        let target = host;
        let placement: string | undefined;
        if (!target) {
          if (leaving) await this.leaveMaintenanceHost(ctx, vm, leaving);
          const placed = await this.provision(ctx, id, null);
          target = await this.hostRepo.findOneByOrFail({ id: placed.hostId });
          placement = placed.placement;
        }
        const current = await this.vms.get(id);
        if (action === 'start' && current.pendingRestart?.fields.includes('name')) {
          // libvirt renames only stopped domains: the rename asked for while it ran happens now.
          await this.checks.send(target, 'vm.configure', { uuid: id, name: current.name }, ctx);
        }
        await ctx.progress(30, `sending ${action} to ${target.name}`);
        const graceMs = action === 'shutdown' ? (dto.timeoutSeconds ?? 60) * 1000 : 0;
        const [name, payload] = this.powerCommand(action, id, dto);
        try {
          await this.checks.sendStep(target, name, payload, ctx, POWER_SENT_PHASE, { graceMs });
        } catch (e) {
          if (action !== 'start' || !host || vm.external || agentCodeOf(e) !== 'domain_not_found') throw e;
          // The host lost the definition (its libvirt was reset, the platform went down and up) before
          // two listings told the engine: define it again from Kelpie's record, its disks checked.
          await ctx.progress(32, `${target.name} no longer defines VM ${vm.name}: defining it again`);
          const placed = await this.provision(ctx, id, target.id);
          placement = placed.placement;
          target = await this.hostRepo.findOneByOrFail({ id: placed.hostId });
          await this.checks.sendStep(target, name, payload, ctx, POWER_REDEFINED_PHASE, { graceMs });
        }
        const expected = EXPECTED_STATUS[action]!;
        await ctx.progress(70, `waiting for libvirt to report the VM ${expected}`);
        const final = await this.waitForStatus(id, expected, CONFIRM_TIMEOUT_MS[action]);
        if (action === 'start' && final.pendingRestart)
          await this.vmRepo.update({ id }, { pendingRestart: null });
        return { status: final.status, hostId: final.hostId, ...(placement ? { placement } : {}) };
      },
    );
  }

  /** A stopped VM belongs to its cluster, not to its host: when that host is in maintenance or an
   * enforcing affinity group refuses it now, a start places the VM on another host (the scheduler
   * checks that it sees the VM's storage). */
  private async maintenanceHostToLeave(vm: VmEntity): Promise<{ host: HostEntity; why: string } | null> {
    if (!vm.hostId || vm.status !== VmStatus.Down) return null;
    const host = await this.hostRepo.findOneBy({ id: vm.hostId });
    if (!host) return null;
    if (host.status === HostStatus.Maintenance) return { host, why: 'in maintenance' };
    const broken = vm.external ? null : await this.scheduler.ruleBrokenOn(vm.id, host);
    return broken ? { host, why: broken } : null;
  }

  /** The old host's agent still runs (in maintenance too): its stale definition goes, the disks stay. */
  private async leaveMaintenanceHost(
    ctx: TaskContext,
    vm: VmEntity,
    { host, why }: { host: HostEntity; why: string },
  ): Promise<void> {
    await ctx.progress(
      5,
      `VM ${vm.name} leaves ${host.name} (${why}): it starts on another host of its cluster`,
    );
    await this.checks.send(host, 'vm.undefine', { uuid: vm.id }, ctx);
    await this.vms.setStatus(vm.id, VmStatus.Down, {
      hostId: null,
      reason: `moved off ${host.name} (${why})`,
    });
  }

  private powerCommand(
    action: PowerAction,
    uuid: string,
    dto: ShutdownVmDto,
  ): [CommandName, CommandPayload<CommandName>] {
    switch (action) {
      case 'start':
        return ['vm.start', { uuid }];
      case 'shutdown':
        return [
          'vm.shutdown',
          {
            uuid,
            timeoutMs: (dto.timeoutSeconds ?? 60) * 1000,
            forceAfterTimeout: dto.forceAfterTimeout ?? false,
          },
        ];
      case 'poweroff':
        return ['vm.destroy', { uuid }];
      case 'reboot':
        return ['vm.reboot', { uuid }];
      case 'reset':
        return ['vm.reset', { uuid }];
      case 'suspend':
        return ['vm.suspend', { uuid }];
      case 'resume':
        return ['vm.resume', { uuid }];
    }
  }

  /** Resolves when the VM's status (written by VmStateSyncService from libvirt's events) is `expected`:
   * woken by the `vm.status` stream message, re-read every second in case a message was lost. */
  async waitForStatus(id: string, expected: VmStatus, timeoutMs: number): Promise<VmEntity> {
    let last: VmEntity | undefined;
    const vm = await waitUntil(
      this.stream.messages,
      (m) => m.type === 'vm.status' && m.object.id === id && m.to === expected,
      async () => {
        last = await this.vms.get(id);
        return last.status === expected ? last : undefined;
      },
      { timeoutMs, recheckMs: STATUS_RECHECK_MS },
    );
    if (vm) return vm;
    throw new DomainError(
      ErrorCode.Timeout,
      `libvirt did not report VM ${last?.name ?? id} ${expected} within ${Math.round(timeoutMs / 1000)} s (it is ${last?.status})`,
    );
  }

  // ---------------------------------------------------------------- delete

  /** null: deleted at once (a VM on no host in a cluster whose hosts never ran anything); a task
   * otherwise. */
  async remove(id: string, q: DeleteVmQuery, meta: RequestMeta): Promise<Task | null> {
    const vm = await this.vms.get(id);
    if (vm.external && q.withDisks)
      throw validationFailed('an external VM has no Kelpie disks to delete', [
        { field: 'withDisks', reason: 'VM is external' },
      ]);
    this.checks.guard(vm, q.force ? 'delete-force' : 'delete');
    // Thin VMs are backed by a template's disks: the template stays while they exist (409 naming them).
    await assertNoThinVms(this.diskRepo.manager, vm);
    const disks = await this.diskRepo.find({ where: { vmId: id }, order: { name: 'ASC' } });
    if (disks.length && !q.withDisks) {
      throw new DomainError(
        ErrorCode.HasChildren,
        `VM ${vm.name} still has ${disks.length} attached disks; delete with withDisks=true or detach them first`,
        disks.map((d) => ({ reason: 'attached disks still refer to it', ref: refOf(ObjectType.Disk, d) })),
      );
    }
    const withDisks = !!q.withDisks;
    if (!vm.hostId && !(await this.hostless.candidates(vm)).length) {
      // No host could run it: records only, no task; refused while an operation holds the VM.
      await this.tasks.assertFree([refOf(ObjectType.Vm, vm)]);
      await this.forgetDeleted(vm, withDisks, null, meta);
      return null;
    }
    const host = vm.hostId ? await this.checks.upHost(vm.hostId) : null;
    return this.tasks.launch(
      {
        type: DELETE_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.checks.recheck(id, q.force ? 'delete-force' : 'delete'),
      },
      async (ctx) => {
        const current = await this.vms.get(id);
        if (!host) return this.removeHostless(ctx, current, withDisks, !!q.force, meta);
        const running = current.status !== VmStatus.Down && current.status !== VmStatus.Crashed;
        await this.clearHost(ctx, current, host, running, withDisks);
        return this.forgetDeleted(current, withDisks, host, meta);
      },
    );
  }

  /** A VM without a host may still run on a host of its cluster (a move never recorded): it is
   * deleted where it is found; found nowhere, only its records go (see planHostlessDelete). */
  private async removeHostless(
    ctx: TaskContext,
    vm: VmEntity,
    withDisks: boolean,
    force: boolean,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    await ctx.progress(5, `VM ${vm.name} has no host: asking the hosts of its cluster for its domain`);
    const search = await this.hostless.search(vm, await this.hostless.candidates(vm));
    const plan = planHostlessDelete(vm, search, force);
    const notAsked = plan.notAsked;
    if (plan.kind === 'records') {
      await ctx.progress(
        50,
        notAsked.length
          ? `no host asked has VM ${vm.name}; removing its records without asking ${notAsked.map((h) => h.hostName).join(', ')} (force)`
          : `no host has VM ${vm.name}: removing its records`,
      );
      return { ...(await this.forgetDeleted(vm, withDisks, null, meta)), foundOn: [], notAsked };
    }
    for (const { host, running } of plan.targets) await this.clearHost(ctx, vm, host, running, withDisks);
    const foundOn = search.found.map((f) => ({ hostId: f.host.id, hostName: f.host.name, state: f.state }));
    return { ...(await this.forgetDeleted(vm, withDisks, plan.targets[0].host, meta)), foundOn, notAsked };
  }

  /** Removes the VM's domain from a host: powered off first when it runs, then undefined. */
  private async clearHost(
    ctx: TaskContext,
    vm: VmEntity,
    host: HostEntity,
    running: boolean,
    withDisks: boolean,
  ): Promise<void> {
    await ctx.checkpoint(DELETE_PHASE, { hostId: host.id, withDisks });
    if (running) {
      await ctx.progress(10, `powering off on ${host.name}`);
      await this.checks.send(host, 'vm.destroy', { uuid: vm.id }, ctx);
      await this.waitForStatus(vm.id, VmStatus.Down, 15_000);
    }
    await ctx.progress(40, `undefining on ${host.name}`);
    await this.checks.sendStep(host, 'vm.undefine', { uuid: vm.id }, ctx, 'undefine');
  }

  /** The VM is gone from its host (or was on none): its disks are detached (or deleted with their
   * volumes, through `host`) and its records removed. */
  async forgetDeleted(
    vm: VmEntity,
    withDisks: boolean,
    host: HostEntity | null,
    meta: RequestMeta,
  ): Promise<{ deletedVolumes: string[] }> {
    const deleted = await this.detachOrDeleteDisks(vm, withDisks, host, meta);
    await this.vms.remove(vm.id, meta);
    return { deletedVolumes: deleted };
  }

  /** Detaches the VM's disks (they stay as floating disks) or deletes them with their volumes. */
  private async detachOrDeleteDisks(
    vm: VmEntity,
    withDisks: boolean,
    host: HostEntity | null,
    meta: RequestMeta,
  ): Promise<string[]> {
    const disks = await this.diskRepo.findBy({ vmId: vm.id });
    const deleted: string[] = [];
    for (const d of disks) {
      if (withDisks) {
        if (host) {
          const sd = await this.sdRepo.findOneByOrFail({ id: d.storageDomainId });
          const { pool } = await this.checks.send(host, 'storage.ensure-pool', {
            name: poolNameFor(sd),
            path: sd.path,
          });
          // The overlays of external snapshots are the disk's data too: the whole chain goes.
          const res = await this.checks.send(host, 'volume.delete', { pool, ...volumeDeletionFor(d) });
          deleted.push(...(res.deleted ?? [d.volumePath]));
        }
        await this.diskRepo.delete({ id: d.id });
        await this.notify.deleted(ObjectType.Disk, d, meta, [refOf(ObjectType.Vm, vm)]);
      } else {
        await this.diskRepo.update({ id: d.id }, { vmId: null, targetDev: null });
      }
    }
    return deleted;
  }

  // ---------------------------------------------------------------- edit

  async update(id: string, dto: UpdateVmDto, meta: RequestMeta): Promise<VmEntity> {
    const vm = await this.vms.get(id);
    const changed = (k: 'name' | 'vcpus' | 'memoryMib' | 'maxMemoryMib') =>
      dto[k] !== undefined && dto[k] !== vm[k];
    const hardware = (['name', 'vcpus', 'memoryMib', 'maxMemoryMib'] as const).filter(changed);
    if (!vm.hostId || vm.external || !hardware.length) return this.vms.update(id, dto, meta);
    this.checks.guard(vm, 'edit');
    const host = await this.checks.upHost(vm.hostId);
    const active = ACTIVE_STATUSES.includes(vm.status);
    const memoryMib = dto.memoryMib ?? vm.memoryMib;
    const maxMemoryMib = dto.maxMemoryMib ?? Math.max(vm.maxMemoryMib, memoryMib);
    if (maxMemoryMib < memoryMib) {
      throw validationFailed('maxMemoryMib must not be below memoryMib', [
        { field: 'maxMemoryMib', reason: `must be at least memoryMib (${memoryMib})` },
      ]);
    }
    if (active && changed('memoryMib') && memoryMib > vm.maxMemoryMib) {
      throw invalidState(
        `VM ${vm.name} is ${vm.status}: memory can grow live only up to its maximum memory (${vm.maxMemoryMib} MiB)`,
        [
          {
            field: 'memoryMib',
            reason: `exceeds maxMemoryMib ${vm.maxMemoryMib} of the running VM`,
            ref: refOf(ObjectType.Vm, vm),
          },
        ],
      );
    }
    if (changed('name') && (await this.vmRepo.existsBy({ datacenterId: vm.datacenterId, name: dto.name! }))) {
      throw new DomainError(ErrorCode.Conflict, `a VM named ${dto.name} already exists in the datacenter`, [
        { field: 'name', reason: 'already used in this datacenter' },
      ]);
    }
    // The change on the host is a short task of its own: it holds the VM like any other operation
    // (409 while one runs), and none can start while it is applied.
    const edit = { type: EDIT_TASK, target: refOf(ObjectType.Vm, vm), requestedBy: meta.actor };
    const verify = this.checks.recheck(id, 'edit');
    const plan: EditPlan = {
      configure: {
        uuid: id,
        ...(changed('name') ? { name: dto.name } : {}),
        ...(changed('vcpus') ? { vcpus: dto.vcpus } : {}),
        ...(changed('memoryMib') || changed('maxMemoryMib') ? { memoryMib, maxMemoryMib } : {}),
      },
      liveMemoryMib: active && changed('memoryMib') ? memoryMib : null,
      renameWhileActive: changed('name') && active,
    };
    return this.tasks.exclusive({ ...edit, correlationId: meta.correlationId, verify }, async (ctx) => {
      await ctx.checkpoint(EDIT_PHASE, { hostId: host.id, plan, dto: { ...dto } });
      return this.applyEdit(host, dto, plan, meta);
    });
  }

  /** Applies an edit on the host (every step idempotent: an adopting engine applies it again) and
   * then to the records. */
  async applyEdit(host: HostEntity, dto: UpdateVmDto, plan: EditPlan, meta: RequestMeta): Promise<VmEntity> {
    const res = await this.checks.send(host, 'vm.configure', plan.configure);
    const appliedLive: string[] = [];
    if (plan.liveMemoryMib !== null) {
      await this.checks.send(host, 'vm.set-memory-live', {
        uuid: plan.configure.uuid,
        memoryMib: plan.liveMemoryMib,
      });
      appliedLive.push('memoryMib');
    }
    const pendingExtra = plan.renameWhileActive && !res.renamed ? ['name'] : [];
    return this.vms.update(plan.configure.uuid, dto, meta, { appliedLive, pendingExtra });
  }
}

/** What an edit changes on the host (its checkpoint, so an adopting engine can apply it again). */
export interface EditPlan {
  configure: CommandPayload<'vm.configure'>;
  liveMemoryMib: number | null;
  renameWhileActive: boolean;
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
