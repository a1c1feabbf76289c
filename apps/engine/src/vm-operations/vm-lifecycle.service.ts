import {
  ApiErrorDetail,
  CommandName,
  CommandPayload,
  CommandResult,
  DiskBus,
  DiskCache,
  DiskFormat,
  ErrorCode,
  HostStatus,
  NicModel,
  ObjectType,
  StorageDomainType,
  Task,
  TaskStep,
  VmDeviceSpec,
  VmStatus,
} from '@kelpie/shared-types';
import { assertNoThinVms } from '../templates/template-rules';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { filter } from 'rxjs';
import { In, Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DomainError, invalidState, notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskEntity } from '../disks/disk.entity';
import { DisksService, nextTargetDev } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier, refOf } from '../inventory/inventory.service';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { NicsService } from '../nics/nics.service';
import { SchedulerService } from '../scheduler/scheduler.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StreamService } from '../stream/stream.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { CreateVmDiskDto, CreateVmNicDto, DeleteVmQuery, ShutdownVmDto } from '../vms/vm-devices.dto';
import { CreateVmDto, UpdateVmDto } from '../vms/vm.dto';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { buildVmSpec, CDROM_TARGET, poolNameFor, volumeNameFor } from './vm-spec.builder';
import { checkTransition, EXPECTED_STATUS, VmAction } from './vm-state-table';

export type PowerAction = 'start' | 'shutdown' | 'poweroff' | 'reboot' | 'reset' | 'suspend' | 'resume';

const GIB = 1024 ** 3;
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

/** An agent failure → a task error that keeps the agent's code in the message. */
function agentFailure(what: string, err: unknown): Error {
  if (err instanceof DomainError) return err;
  if (err instanceof AgentCommandError) {
    const code =
      err.code === 'timeout'
        ? ErrorCode.Timeout
        : err.code === 'not_delivered'
          ? ErrorCode.HostUnavailable
          : ErrorCode.Unprocessable;
    return new DomainError(code, `${what}: ${err.message} (${err.code})`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

interface ProvisionSpec {
  disks: CreateVmDiskDto[];
  nics: CreateVmNicDto[];
}

/**
 * The VM lifecycle: provisioning on a host (scheduler → pools → volumes → domain XML), power
 * actions confirmed by libvirt's events, deletion, persistent/live edits and hot-plug. Every action
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
    @InjectRepository(ClusterNetworkEntity) private readonly clusterNetRepo: Repository<ClusterNetworkEntity>,
    private readonly bus: CommandBus,
    private readonly tasks: TasksService,
    private readonly scheduler: SchedulerService,
    events: EventsService,
    private readonly stream: StreamService,
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
    const cluster = await this.mustExist(this.clusterRepo, ObjectType.Cluster, dto.clusterId, 'clusterId');
    if (dto.hostId) await this.checkChosenHost(dto.hostId, cluster);
    const disks = dto.disks ?? [];
    const nics = dto.nics ?? [];
    for (const [i, d] of disks.entries())
      await this.checkStorageDomain(d.storageDomainId, cluster, `disks[${i}].storageDomainId`);
    for (const [i, n] of nics.entries())
      await this.checkNetwork(n.networkId, cluster, `nics[${i}].networkId`);
    const boot = dto.boot ?? { kind: 'disk' as const };
    if (boot.kind === 'cdrom') await this.checkIsoPath(boot.isoPath!, cluster.datacenterId, 'boot.isoPath');
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
        type: 'vm.create',
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
    await this.vms.setStatus(vmId, vm.status, { hostId: host.id, reason: vm.statusReason });

    const createdVolumes: { pool: string; name: string }[] = [];
    let defined = false;
    try {
      const pools = new Map<string, string>();
      for (const sd of sds) {
        const res = await this.send(
          host,
          'storage.ensure-pool',
          { name: poolNameFor(sd), path: sd.path },
          ctx,
        );
        pools.set(sd.id, res.pool);
      }
      if (sds.length) await step(20, 'storage', `storage pools: ${[...pools.values()].join(', ')}`);
      for (const d of disks) {
        const pool = pools.get(d.storageDomainId)!;
        const res = await this.send(
          host,
          'volume.create',
          { pool, name: volumeNameFor(d), capacityBytes: d.virtualSizeBytes, format: d.format },
          ctx,
        );
        if (res.created) createdVolumes.push({ pool, name: volumeNameFor(d) });
        await this.diskRepo.update(
          { id: d.id },
          { volumePath: res.path, allocationBytes: res.allocationBytes },
        );
        d.volumePath = res.path;
      }
      if (disks.length) await step(50, 'volumes', `volumes: ${disks.map((d) => d.volumePath).join(', ')}`);
      const spec = buildVmSpec(vm, disks, nics, new Map(networks.map((n) => [n.id, n])), host.capabilities);
      const res = await this.send(host, 'vm.define-spec', { spec }, ctx);
      defined = true;
      await step(90, 'define', `defined ${res.domain.name} (${spec.virtType}) on ${host.name}`);
      return {
        hostId: host.id,
        hostName: host.name,
        placement: placement.reason,
        domainName: res.domain.name,
      };
    } catch (err) {
      if (defined) await this.send(host, 'vm.undefine', { uuid: vmId }).catch(() => undefined);
      for (const v of createdVolumes) await this.send(host, 'volume.delete', v).catch(() => undefined);
      await this.vmRepo.update({ id: vmId }, { hostId: null });
      throw err;
    }
  }

  // ---------------------------------------------------------------- power

  async power(id: string, action: PowerAction, dto: ShutdownVmDto, meta: RequestMeta): Promise<Task> {
    const vm = await this.vms.get(id);
    this.guard(vm, action);
    const host = vm.hostId ? await this.upHost(vm.hostId) : null;
    if (!host && action !== 'start')
      throw invalidState(`VM ${vm.name} is not defined on any host`, [
        { reason: 'no host', ref: refOf(ObjectType.Vm, vm) },
      ]);
    await this.assertNotBusy(vm);
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
      },
      async (ctx) => {
        if (desired[action]) await this.vmRepo.update({ id }, { desiredStatus: desired[action] });
        let target = host;
        let placement: string | undefined;
        if (!target) {
          const placed = await this.provision(ctx, id, null);
          target = await this.hostRepo.findOneByOrFail({ id: placed.hostId });
          placement = placed.placement;
        }
        const current = await this.vms.get(id);
        if (action === 'start' && current.pendingRestart?.fields.includes('name')) {
          // libvirt renames only stopped domains: the rename asked for while it ran happens now.
          await this.send(target, 'vm.configure', { uuid: id, name: current.name }, ctx);
        }
        await ctx.progress(30, `sending ${action} to ${target.name}`);
        await this.send(target, ...this.powerCommand(action, id, dto), ctx);
        const expected = EXPECTED_STATUS[action]!;
        await ctx.progress(70, `waiting for libvirt to report the VM ${expected}`);
        const final = await this.waitForStatus(id, expected, CONFIRM_TIMEOUT_MS[action]);
        if (action === 'start' && final.pendingRestart)
          await this.vmRepo.update({ id }, { pendingRestart: null });
        return { status: final.status, hostId: final.hostId, ...(placement ? { placement } : {}) };
      },
    );
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
    const deadline = Date.now() + timeoutMs;
    let wake: () => void = () => undefined;
    const sub = this.stream.messages
      .pipe(filter((m) => m.type === 'vm.status' && m.object.id === id && m.to === expected))
      .subscribe(() => wake());
    let timer: NodeJS.Timeout | undefined;
    try {
      let vm = await this.vms.get(id);
      while (vm.status !== expected) {
        if (Date.now() > deadline) {
          throw new DomainError(
            ErrorCode.Timeout,
            `libvirt did not report VM ${vm.name} ${expected} within ${Math.round(timeoutMs / 1000)} s (it is ${vm.status})`,
          );
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, Math.min(STATUS_RECHECK_MS, Math.max(0, deadline - Date.now())));
        });
        clearTimeout(timer);
        vm = await this.vms.get(id);
      }
      return vm;
    } finally {
      clearTimeout(timer);
      sub.unsubscribe();
    }
  }

  // ---------------------------------------------------------------- delete

  /** null: deleted at once (the VM was on no host); a task otherwise. */
  async remove(id: string, q: DeleteVmQuery, meta: RequestMeta): Promise<Task | null> {
    const vm = await this.vms.get(id);
    if (vm.external && q.withDisks)
      throw validationFailed('an external VM has no Kelpie disks to delete', [
        { field: 'withDisks', reason: 'VM is external' },
      ]);
    this.guard(vm, q.force ? 'delete-force' : 'delete');
    // Thin VMs are backed by a template's disks: the template stays while they exist (409 naming them).
    await assertNoThinVms(this.diskRepo.manager, vm);
    if (!vm.hostId) {
      // Without withDisks, attached disks block the deletion (409 has_children naming them).
      if (q.withDisks) await this.detachOrDeleteDisks(vm, true, null, meta);
      await this.vms.remove(id, meta);
      return null;
    }
    const disks = await this.diskRepo.find({ where: { vmId: id }, order: { name: 'ASC' } });
    if (disks.length && !q.withDisks) {
      throw new DomainError(
        ErrorCode.HasChildren,
        `VM ${vm.name} still has ${disks.length} attached disks; delete with withDisks=true or detach them first`,
        disks.map((d) => ({ reason: 'attached disks still refer to it', ref: refOf(ObjectType.Disk, d) })),
      );
    }
    const host = await this.upHost(vm.hostId);
    await this.assertNotBusy(vm);
    return this.tasks.launch(
      {
        type: 'vm.delete',
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
      },
      async (ctx) => {
        const current = await this.vms.get(id);
        if (current.status !== VmStatus.Down && current.status !== VmStatus.Crashed) {
          await ctx.progress(10, 'powering off');
          await this.send(host, 'vm.destroy', { uuid: id }, ctx);
          await this.waitForStatus(id, VmStatus.Down, 15_000);
        }
        await ctx.progress(40, `undefining on ${host.name}`);
        await this.send(host, 'vm.undefine', { uuid: id }, ctx);
        const deleted = await this.detachOrDeleteDisks(current, !!q.withDisks, host, meta);
        await this.vms.remove(id, meta);
        return { deletedVolumes: deleted };
      },
    );
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
          const { pool } = await this.send(host, 'storage.ensure-pool', {
            name: poolNameFor(sd),
            path: sd.path,
          });
          await this.send(host, 'volume.delete', { pool, name: volumeNameFor(d) });
          deleted.push(d.volumePath);
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
    this.guard(vm, 'edit');
    const host = await this.upHost(vm.hostId);
    await this.assertNotBusy(vm);
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
    const res = await this.send(host, 'vm.configure', {
      uuid: id,
      ...(changed('name') ? { name: dto.name } : {}),
      ...(changed('vcpus') ? { vcpus: dto.vcpus } : {}),
      ...(changed('memoryMib') || changed('maxMemoryMib') ? { memoryMib, maxMemoryMib } : {}),
    }).catch((err: unknown) => {
      throw agentFailure(`changing VM ${vm.name} on ${host.name}`, err);
    });
    const appliedLive: string[] = [];
    if (active && changed('memoryMib')) {
      await this.send(host, 'vm.set-memory-live', { uuid: id, memoryMib }).catch((err: unknown) => {
        throw agentFailure(`setting live memory of ${vm.name}`, err);
      });
      appliedLive.push('memoryMib');
    }
    const pendingExtra = changed('name') && !res.renamed && active ? ['name'] : [];
    return this.vms.update(id, dto, meta, { appliedLive, pendingExtra });
  }

  // ---------------------------------------------------------------- hot-plug

  async attachDisk(id: string, dto: CreateVmDiskDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    const sd = await this.checkStorageDomain(dto.storageDomainId, cluster, 'storageDomainId');
    const bus = dto.bus ?? DiskBus.Virtio;
    const used = (await this.diskRepo.findBy({ vmId: id }))
      .map((d) => d.targetDev)
      .filter((t): t is string => !!t);
    const targetDev = nextTargetDev(bus, used);
    if (!targetDev)
      throw invalidState(`VM ${vm.name} has no free ${bus} device name`, [
        { field: 'bus', reason: 'no free target device' },
      ]);
    const disk = this.diskRepo.create({
      id: randomUUID(),
      name: dto.name ?? `${vm.name.slice(0, 50)}-disk${used.length + 1}`,
      description: '',
      storageDomainId: sd.id,
      format: dto.format ?? DiskFormat.Qcow2,
      virtualSizeBytes: dto.sizeGiB * GIB,
      allocationBytes: 0,
      bus,
      cache: dto.cache ?? DiskCache.None,
      bootable: dto.bootable ?? false,
      vmId: id,
      targetDev,
    });
    disk.volumePath = `${sd.path.replace(/\/+$/, '')}/${volumeNameFor(disk)}`;
    await this.diskRepo.insert(disk);
    await this.notify.created(ObjectType.Disk, disk, meta, [refOf(ObjectType.Vm, vm)]);
    return this.hotplugTask('vm.attach-disk', vm, meta, async (ctx) => {
      if (!host) return { diskId: disk.id, targetDev };
      let created = false;
      const { pool } = await this.send(
        host,
        'storage.ensure-pool',
        { name: poolNameFor(sd), path: sd.path },
        ctx,
      );
      try {
        const vol = await this.send(
          host,
          'volume.create',
          { pool, name: volumeNameFor(disk), capacityBytes: disk.virtualSizeBytes, format: disk.format },
          ctx,
        );
        created = vol.created;
        await this.diskRepo.update(
          { id: disk.id },
          { volumePath: vol.path, allocationBytes: vol.allocationBytes },
        );
        const live = await this.isActive(id);
        const device: VmDeviceSpec = {
          kind: 'disk',
          disk: { id: disk.id, path: vol.path, format: disk.format, bus, cache: disk.cache, targetDev },
        };
        await this.send(host, 'vm.attach-device', { uuid: id, device, live }, ctx);
        return { diskId: disk.id, targetDev, path: vol.path, live };
      } catch (err) {
        if (created)
          await this.send(host, 'volume.delete', { pool, name: volumeNameFor(disk) }).catch(() => undefined);
        await this.diskRepo.delete({ id: disk.id });
        await this.notify.deleted(ObjectType.Disk, disk, meta, [refOf(ObjectType.Vm, vm)]);
        throw err;
      }
    });
  }

  async detachDisk(id: string, diskId: string, deleteVolume: boolean, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const disk = await this.diskRepo.findOneBy({ id: diskId, vmId: id });
    if (!disk) throw notFound(ObjectType.Disk, diskId);
    return this.hotplugTask('vm.detach-disk', vm, meta, async (ctx) => {
      const live = host ? await this.isActive(id) : false;
      if (host && disk.targetDev) {
        const device: VmDeviceSpec = {
          kind: 'disk',
          disk: {
            id: disk.id,
            path: disk.volumePath,
            format: disk.format,
            bus: disk.bus,
            cache: disk.cache,
            targetDev: disk.targetDev,
          },
        };
        await this.send(host, 'vm.detach-device', { uuid: id, device, live }, ctx);
      }
      if (deleteVolume) {
        if (host) {
          const sd = await this.sdRepo.findOneByOrFail({ id: disk.storageDomainId });
          const { pool } = await this.send(
            host,
            'storage.ensure-pool',
            { name: poolNameFor(sd), path: sd.path },
            ctx,
          );
          await this.send(host, 'volume.delete', { pool, name: volumeNameFor(disk) }, ctx);
        }
        await this.diskRepo.delete({ id: disk.id });
        await this.notify.deleted(ObjectType.Disk, disk, meta, [refOf(ObjectType.Vm, vm)]);
      } else {
        await this.diskRepo.update({ id: disk.id }, { vmId: null, targetDev: null });
      }
      return { diskId, live, deletedVolume: deleteVolume };
    });
  }

  async attachNic(id: string, dto: CreateVmNicDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    const net = await this.checkNetwork(dto.networkId, cluster, 'networkId');
    const nic = await this.nicsService.create(
      { vmId: id, networkId: net.id, model: dto.model ?? NicModel.Virtio, mac: dto.mac, name: dto.name },
      meta,
    );
    return this.hotplugTask('vm.attach-nic', vm, meta, async (ctx) => {
      if (!host) return { nicId: nic.id, mac: nic.mac };
      try {
        const live = await this.isActive(id);
        const device: VmDeviceSpec = {
          kind: 'nic',
          nic: { id: nic.id, mac: nic.mac, bridge: net.bridge, model: nic.model },
        };
        await this.send(host, 'vm.attach-device', { uuid: id, device, live }, ctx);
        return { nicId: nic.id, mac: nic.mac, live };
      } catch (err) {
        await this.nicsService.remove(nic.id, meta).catch(() => undefined);
        throw err;
      }
    });
  }

  async detachNic(id: string, nicId: string, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const nic = await this.nicRepo.findOneBy({ id: nicId, vmId: id });
    if (!nic) throw notFound(ObjectType.Nic, nicId);
    const net = await this.netRepo.findOneByOrFail({ id: nic.networkId });
    return this.hotplugTask('vm.detach-nic', vm, meta, async (ctx) => {
      const live = host ? await this.isActive(id) : false;
      if (host) {
        const device: VmDeviceSpec = {
          kind: 'nic',
          nic: { id: nic.id, mac: nic.mac, bridge: net.bridge, model: nic.model },
        };
        await this.send(host, 'vm.detach-device', { uuid: id, device, live }, ctx);
      }
      await this.nicsService.remove(nic.id, meta);
      return { nicId, live };
    });
  }

  async changeCdrom(id: string, isoPath: string | null, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    if (isoPath) await this.checkIsoPath(isoPath, vm.datacenterId, 'isoPath');
    return this.hotplugTask('vm.change-cdrom', vm, meta, async (ctx) => {
      const live = host ? await this.isActive(id) : false;
      if (host)
        await this.send(host, 'vm.change-media', { uuid: id, targetDev: CDROM_TARGET, isoPath, live }, ctx);
      await this.vmRepo.update({ id }, { cdromIsoPath: isoPath });
      return { isoPath, live };
    });
  }

  private async hotplugTarget(id: string): Promise<{ vm: VmEntity; host: HostEntity | null }> {
    const vm = await this.vms.get(id);
    if (vm.external) {
      throw invalidState(`VM ${vm.name} is external: Kelpie does not manage its devices`, [
        { reason: 'external VM', ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
    this.guard(vm, 'hotplug');
    const host = vm.hostId ? await this.upHost(vm.hostId) : null;
    await this.assertNotBusy(vm);
    return { vm, host };
  }

  private hotplugTask(
    type: string,
    vm: VmEntity,
    meta: RequestMeta,
    work: (ctx: TaskContext) => Promise<Record<string, unknown>>,
  ): Promise<Task> {
    return this.tasks.launch(
      { type, target: refOf(ObjectType.Vm, vm), requestedBy: meta.actor, correlationId: meta.correlationId },
      work,
    );
  }

  private async isActive(id: string): Promise<boolean> {
    return ACTIVE_STATUSES.includes((await this.vms.get(id)).status);
  }

  // ---------------------------------------------------------------- checks

  private guard(vm: VmEntity, action: VmAction): void {
    const verdict = checkTransition(action, vm.status, vm);
    if (!verdict.allowed) {
      throw invalidState(`cannot ${action} VM ${vm.name}: ${verdict.reason}`, [
        { reason: verdict.reason, ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
  }

  /** The VM's host, which must be up: commands to a host that is not are refused (503). */
  private async upHost(hostId: string): Promise<HostEntity> {
    const host = await this.hostRepo.findOneByOrFail({ id: hostId });
    if (host.status !== HostStatus.Up) {
      throw new DomainError(
        ErrorCode.HostUnavailable,
        `host ${host.name} is ${host.status}${host.statusReason ? ` (${host.statusReason})` : ''}; try again when it is up`,
        [{ reason: `host is ${host.status}`, ref: refOf(ObjectType.Host, host) }],
      );
    }
    return host;
  }

  /** One lifecycle task per VM at a time. */
  private async assertNotBusy(vm: VmEntity): Promise<void> {
    const rows: { id: string; type: string }[] = await this.vmRepo.query(
      `SELECT id, type FROM task WHERE target_id = $1 AND status IN ('queued', 'running') LIMIT 1`,
      [vm.id],
    );
    if (rows.length) {
      throw invalidState(`VM ${vm.name} is busy with ${rows[0].type} (task ${rows[0].id})`, [
        { reason: `task ${rows[0].type} is running`, ref: { type: ObjectType.Task, id: rows[0].id } },
      ]);
    }
  }

  private async mustExist<R extends { id: string }>(
    repo: Repository<R>,
    type: ObjectType,
    id: string,
    field: string,
  ): Promise<R> {
    const r = await repo.findOne({ where: { id } as never });
    if (!r) {
      throw new DomainError(ErrorCode.NotFound, `${type} ${id} (${field}) does not exist`, [
        { field, reason: `${type} does not exist`, ref: { type, id } },
      ]);
    }
    return r;
  }

  private async checkChosenHost(hostId: string, cluster: ClusterEntity): Promise<HostEntity> {
    const host = await this.mustExist(this.hostRepo, ObjectType.Host, hostId, 'hostId');
    if (host.clusterId !== cluster.id) {
      throw validationFailed(`host ${host.name} is not in cluster ${cluster.name}`, [
        { field: 'hostId', reason: "host is not in the VM's cluster", ref: refOf(ObjectType.Host, host) },
      ]);
    }
    if (host.status !== HostStatus.Up) {
      throw invalidState(
        `host ${host.name} is ${host.status}; a VM can be placed only on a host that is up`,
        [{ field: 'hostId', reason: `host is ${host.status}`, ref: refOf(ObjectType.Host, host) }],
      );
    }
    return host;
  }

  private async checkStorageDomain(
    id: string,
    cluster: ClusterEntity,
    field: string,
  ): Promise<StorageDomainEntity> {
    const sd = await this.mustExist(this.sdRepo, ObjectType.StorageDomain, id, field);
    const problems: ApiErrorDetail[] = [];
    if (sd.datacenterId !== cluster.datacenterId)
      problems.push({
        field,
        reason: "storage domain is not in the VM's datacenter",
        ref: refOf(ObjectType.StorageDomain, sd),
      });
    if (problems.length) throw validationFailed('invalid storage domain', problems);
    if (sd.type !== StorageDomainType.Dir) {
      throw new DomainError(
        ErrorCode.Unprocessable,
        `storage domain ${sd.name} is of type ${sd.type}: new volumes can be made only on dir domains yet`,
        [
          {
            field,
            reason: `type ${sd.type} not supported for new volumes`,
            ref: refOf(ObjectType.StorageDomain, sd),
          },
        ],
      );
    }
    return sd;
  }

  private async checkNetwork(
    id: string,
    cluster: ClusterEntity,
    field: string,
  ): Promise<LogicalNetworkEntity> {
    const net = await this.mustExist(this.netRepo, ObjectType.Network, id, field);
    const problems: ApiErrorDetail[] = [];
    const ref = refOf(ObjectType.Network, net);
    if (net.datacenterId !== cluster.datacenterId)
      problems.push({ field, reason: "network is not in the VM's datacenter", ref });
    else if (!net.vmNetwork) problems.push({ field, reason: 'not a VM network', ref });
    else if (!(await this.clusterNetRepo.existsBy({ clusterId: cluster.id, networkId: net.id })))
      problems.push({ field, reason: `network is not attached to cluster ${cluster.name}`, ref });
    if (problems.length) throw validationFailed(`network ${net.name} cannot carry this VM`, problems);
    return net;
  }

  /** An ISO must be a file inside a storage domain of the datacenter. */
  private async checkIsoPath(path: string, datacenterId: string, field: string): Promise<void> {
    const sds = await this.sdRepo.findBy({ datacenterId });
    const inside = sds.some((sd) => path.startsWith(`${sd.path.replace(/\/+$/, '')}/`));
    if (!inside) {
      throw validationFailed('the ISO must be inside a storage domain of the datacenter', [
        {
          field,
          reason: `not inside any storage domain path (${sds.map((s) => s.path).join(', ') || 'none'})`,
        },
      ]);
    }
  }

  /** CommandBus.send with the task id, failures turned into task errors. */
  private async send<N extends CommandName>(
    host: HostEntity,
    name: N,
    payload: CommandPayload<N>,
    ctx?: TaskContext,
  ): Promise<CommandResult<N>> {
    try {
      return await this.bus.send(host.id, name, payload, {
        taskId: ctx?.task.id,
        correlationId: ctx?.task.correlationId ?? undefined,
      });
    } catch (err) {
      throw agentFailure(`${name} on ${host.name}`, err);
    }
  }
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
