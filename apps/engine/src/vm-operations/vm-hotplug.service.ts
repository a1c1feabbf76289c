import {
  DiskBus,
  DiskCache,
  DiskFormat,
  NicModel,
  ObjectRef,
  ObjectType,
  Task,
  VmDeviceSpec,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskEntity } from '../disks/disk.entity';
import { nextTargetDev } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { NicsService } from '../nics/nics.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StreamService } from '../stream/stream.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { CreateVmDiskDto, CreateVmNicDto } from '../vms/vm-devices.dto';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import {
  CDROM_TARGET,
  imageOf,
  nicSpecOf,
  poolNameFor,
  volumeDeletionFor,
  volumeNameFor,
} from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

const GIB = 1024 ** 3;
const ACTIVE_STATUSES: VmStatus[] = [VmStatus.Up, VmStatus.Paused];
/** Hot-plug task types (hotplug-adoption.ts settles them after an engine crash). */
export const HOTPLUG = {
  attachDisk: 'vm.attach-disk',
  detachDisk: 'vm.detach-disk',
  attachNic: 'vm.attach-nic',
  detachNic: 'vm.detach-nic',
  changeCdrom: 'vm.change-cdrom',
} as const;
/** A hot-plug's checkpoint: the host and the device it changes, written before the first host step. */
export const HOTPLUG_PHASE = 'hotplug';

/** Hot-plug: disks, NICs and CD-ROM media of a VM, live when it runs and persistent always. */
@Injectable()
export class VmHotplugService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly vms: VmsService,
    private readonly nicsService: NicsService,
    @InjectRepository(VmEntity) private readonly vmRepo: Repository<VmEntity>,
    @InjectRepository(DiskEntity) private readonly diskRepo: Repository<DiskEntity>,
    @InjectRepository(NicEntity) private readonly nicRepo: Repository<NicEntity>,
    @InjectRepository(ClusterEntity) private readonly clusterRepo: Repository<ClusterEntity>,
    @InjectRepository(StorageDomainEntity) private readonly sdRepo: Repository<StorageDomainEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly netRepo: Repository<LogicalNetworkEntity>,
    private readonly tasks: TasksService,
    private readonly checks: VmGuard,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  async attachDisk(id: string, dto: CreateVmDiskDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    const sd = await this.checks.checkStorageDomain(dto.storageDomainId, cluster, 'storageDomainId');
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
    return this.hotplugTask(HOTPLUG.attachDisk, vm, meta, async (ctx) => {
      if (!host) return { diskId: disk.id, targetDev };
      await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, diskId: disk.id });
      let created = false;
      const { pool } = await this.checks.send(
        host,
        'storage.ensure-pool',
        { name: poolNameFor(sd), path: sd.path },
        ctx,
      );
      try {
        const vol = await this.checks.send(
          host,
          'volume.create',
          { pool, name: volumeNameFor(disk), capacityBytes: disk.virtualSizeBytes, format: disk.format },
          ctx,
        );
        created = vol.created;
        await this.diskRepo.update(
          { id: disk.id },
          { volumePath: vol.path, allocationBytes: vol.allocationBytes, provisionedAt: new Date() },
        );
        const live = await this.isActive(id);
        const device: VmDeviceSpec = {
          kind: 'disk',
          disk: { id: disk.id, path: vol.path, format: disk.format, bus, cache: disk.cache, targetDev },
        };
        await this.checks.sendStep(host, 'vm.attach-device', { uuid: id, device, live }, ctx, 'attach');
        return { diskId: disk.id, targetDev, path: vol.path, live };
      } catch (err) {
        await this.dropNewDisk(disk, vm, created ? host : null, meta).catch(() => undefined);
        throw err;
      }
    });
  }

  /** Undoes a disk attach that did not happen: its volume (when `host` is given) and its record. */
  async dropNewDisk(
    disk: DiskEntity,
    vm: VmEntity,
    host: HostEntity | null,
    meta: RequestMeta,
  ): Promise<void> {
    if (host) {
      const sd = await this.sdRepo.findOneByOrFail({ id: disk.storageDomainId });
      const { pool } = await this.checks.send(host, 'storage.ensure-pool', {
        name: poolNameFor(sd),
        path: sd.path,
      });
      // A disk with external snapshots loses their overlays too (the whole chain).
      await this.checks.send(host, 'volume.delete', { pool, ...volumeDeletionFor(disk) });
    }
    await this.diskRepo.delete({ id: disk.id });
    await this.notify.deleted(ObjectType.Disk, disk, meta, [refOf(ObjectType.Vm, vm)]);
  }

  async detachDisk(id: string, diskId: string, deleteVolume: boolean, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const disk = await this.diskRepo.findOneBy({ id: diskId, vmId: id });
    if (!disk) throw notFound(ObjectType.Disk, diskId);
    const held = [refOf(ObjectType.Vm, vm), refOf(ObjectType.Disk, disk)];
    return this.hotplugTask(
      HOTPLUG.detachDisk,
      vm,
      meta,
      async (ctx) => {
        const live = host ? await this.isActive(id) : false;
        if (host && disk.targetDev) {
          await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, diskId, deleteVolume });
          const device: VmDeviceSpec = {
            kind: 'disk',
            disk: {
              id: disk.id,
              ...imageOf(disk),
              bus: disk.bus,
              cache: disk.cache,
              targetDev: disk.targetDev,
            },
          };
          await this.checks.sendStep(host, 'vm.detach-device', { uuid: id, device, live }, ctx, 'detach');
        }
        await this.releaseDisk(disk, vm, host, deleteVolume, meta);
        return { diskId, live, deletedVolume: deleteVolume };
      },
      held,
    );
  }

  /** A disk detached from its VM stays as a floating disk, or is deleted with its volume. */
  async releaseDisk(
    disk: DiskEntity,
    vm: VmEntity,
    host: HostEntity | null,
    deleteVolume: boolean,
    meta: RequestMeta,
  ): Promise<void> {
    if (deleteVolume) await this.dropNewDisk(disk, vm, host, meta);
    else await this.diskRepo.update({ id: disk.id }, { vmId: null, targetDev: null });
  }

  async attachNic(id: string, dto: CreateVmNicDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    const net = await this.checks.checkNetwork(dto.networkId, cluster, 'networkId');
    const nic = await this.nicsService.create(
      { vmId: id, networkId: net.id, model: dto.model ?? NicModel.Virtio, mac: dto.mac, name: dto.name },
      meta,
    );
    return this.hotplugTask(HOTPLUG.attachNic, vm, meta, async (ctx) => {
      if (!host) return { nicId: nic.id, mac: nic.mac };
      await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, nicId: nic.id, mac: nic.mac });
      try {
        const live = await this.isActive(id);
        const device: VmDeviceSpec = { kind: 'nic', nic: nicSpecOf(nic, net, cluster.switchType) };
        await this.checks.sendStep(host, 'vm.attach-device', { uuid: id, device, live }, ctx, 'attach');
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
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    return this.hotplugTask(HOTPLUG.detachNic, vm, meta, async (ctx) => {
      const live = host ? await this.isActive(id) : false;
      if (host) {
        await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, nicId: nic.id, mac: nic.mac });
        const device: VmDeviceSpec = { kind: 'nic', nic: nicSpecOf(nic, net, cluster.switchType) };
        await this.checks.sendStep(host, 'vm.detach-device', { uuid: id, device, live }, ctx, 'detach');
      }
      await this.nicsService.remove(nic.id, meta);
      return { nicId, live };
    });
  }

  async changeCdrom(id: string, isoPath: string | null, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    if (isoPath) await this.checks.checkIsoPath(isoPath, vm.datacenterId, 'isoPath');
    return this.hotplugTask(HOTPLUG.changeCdrom, vm, meta, async (ctx) => {
      const live = host ? await this.isActive(id) : false;
      if (host) {
        await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, isoPath });
        const payload = { uuid: id, targetDev: CDROM_TARGET, isoPath, live };
        await this.checks.sendStep(host, 'vm.change-media', payload, ctx, 'change-media');
      }
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
    this.checks.guard(vm, 'hotplug');
    const host = vm.hostId ? await this.checks.upHost(vm.hostId) : null;
    return { vm, host };
  }

  private hotplugTask(
    type: string,
    vm: VmEntity,
    meta: RequestMeta,
    work: (ctx: TaskContext) => Promise<Record<string, unknown>>,
    locks?: ObjectRef[],
  ): Promise<Task> {
    // The task locks the VM (and the disk it changes): a second operation on either is a 409.
    return this.tasks.launch(
      {
        type,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        locks,
        verify: this.checks.recheck(vm.id, 'hotplug'),
      },
      work,
    );
  }

  private async isActive(id: string): Promise<boolean> {
    return ACTIVE_STATUSES.includes((await this.vms.get(id)).status);
  }
}
