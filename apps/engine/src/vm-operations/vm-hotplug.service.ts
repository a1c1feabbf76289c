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
import { ChangeNotifier, refOf } from '../inventory/inventory.service';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { NicsService } from '../nics/nics.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StreamService } from '../stream/stream.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { CreateVmDiskDto, CreateVmNicDto } from '../vms/vm-devices.dto';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { CDROM_TARGET, poolNameFor, volumeNameFor } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

const GIB = 1024 ** 3;
const ACTIVE_STATUSES: VmStatus[] = [VmStatus.Up, VmStatus.Paused];

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
    return this.hotplugTask('vm.attach-disk', vm, meta, async (ctx) => {
      if (!host) return { diskId: disk.id, targetDev };
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
        await this.checks.send(host, 'vm.attach-device', { uuid: id, device, live }, ctx);
        return { diskId: disk.id, targetDev, path: vol.path, live };
      } catch (err) {
        if (created)
          await this.checks
            .send(host, 'volume.delete', { pool, name: volumeNameFor(disk) })
            .catch(() => undefined);
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
    const held = [refOf(ObjectType.Vm, vm), refOf(ObjectType.Disk, disk)];
    return this.hotplugTask(
      'vm.detach-disk',
      vm,
      meta,
      async (ctx) => {
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
          await this.checks.send(host, 'vm.detach-device', { uuid: id, device, live }, ctx);
        }
        if (deleteVolume) {
          if (host) {
            const sd = await this.sdRepo.findOneByOrFail({ id: disk.storageDomainId });
            const { pool } = await this.checks.send(
              host,
              'storage.ensure-pool',
              { name: poolNameFor(sd), path: sd.path },
              ctx,
            );
            await this.checks.send(host, 'volume.delete', { pool, name: volumeNameFor(disk) }, ctx);
          }
          await this.diskRepo.delete({ id: disk.id });
          await this.notify.deleted(ObjectType.Disk, disk, meta, [refOf(ObjectType.Vm, vm)]);
        } else {
          await this.diskRepo.update({ id: disk.id }, { vmId: null, targetDev: null });
        }
        return { diskId, live, deletedVolume: deleteVolume };
      },
      held,
    );
  }

  async attachNic(id: string, dto: CreateVmNicDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    const net = await this.checks.checkNetwork(dto.networkId, cluster, 'networkId');
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
        await this.checks.send(host, 'vm.attach-device', { uuid: id, device, live }, ctx);
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
        await this.checks.send(host, 'vm.detach-device', { uuid: id, device, live }, ctx);
      }
      await this.nicsService.remove(nic.id, meta);
      return { nicId, live };
    });
  }

  async changeCdrom(id: string, isoPath: string | null, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.hotplugTarget(id);
    if (isoPath) await this.checks.checkIsoPath(isoPath, vm.datacenterId, 'isoPath');
    return this.hotplugTask('vm.change-cdrom', vm, meta, async (ctx) => {
      const live = host ? await this.isActive(id) : false;
      if (host)
        await this.checks.send(
          host,
          'vm.change-media',
          { uuid: id, targetDev: CDROM_TARGET, isoPath, live },
          ctx,
        );
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
