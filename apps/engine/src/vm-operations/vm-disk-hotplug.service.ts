import { isFileDomain } from '../storage-domains/domain-kinds';
import { DiskBus, DiskCache, DiskFormat, ObjectType, Task, VmDeviceSpec } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClusterRepository } from '../clusters/cluster.repository';
import { invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { UndoStack } from '../common/undo-stack';
import type { DiskEntity } from '../disks/disk.entity';
import { DiskRepository } from '../disks/disk.repository';
import { assertBusFitsMachine } from '../disks/machine-bus';
import { nextTargetDev } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import type { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { StreamService } from '../stream/stream.service';
import { CreateVmDiskDto } from '../vms/vm-devices.dto';
import type { VmEntity } from '../vms/vm.entity';
import { imageOf, poolNameFor, volumeDeletionFor, volumeNameFor } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

import { HOTPLUG, HOTPLUG_PHASE, HotplugRunner } from './hotplug-runner';

const GIB = 1024 ** 3;

/** Hot-plug of disks: a new disk (its volume made on the host) or a detached one, live when the VM
 * runs and persistent always. */
@Injectable()
export class VmDiskHotplugService {
  private readonly logger = new Logger('VmDiskHotplug');
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly runner: HotplugRunner,
    private readonly diskRepo: DiskRepository,
    private readonly clusterRepo: ClusterRepository,
    private readonly sdRepo: StorageDomainRepository,
    private readonly checks: VmGuard,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  async attachDisk(id: string, dto: CreateVmDiskDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.runner.target(id);
    const cluster = await this.clusterRepo.byId(vm.clusterId);
    const sd = await this.checks.checkStorageDomain(dto.storageDomainId, cluster, 'storageDomainId');
    const bus = dto.bus ?? DiskBus.Virtio;
    assertBusFitsMachine(vm.machineType, [{ bus, field: 'bus' }], vm.name);
    const used = (await this.diskRepo.ofVm(id)).map((d) => d.targetDev).filter((t): t is string => !!t);
    const targetDev = nextTargetDev(bus, used);
    if (!targetDev)
      throw invalidState(`VM ${vm.name} has no free ${bus} device name`, [
        { field: 'bus', reason: 'no free target device' },
      ]);
    const disk = this.diskRepo.build({
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
    // Each thing made for the disk declares its removal where it is made; a failed volume or attach
    // step on the host unwinds them (newest first). Before the volume step (the checkpoint, the pool)
    // nothing is undone: the disk stays on the VM, unprovisioned, and gets its volume at the VM's
    // next provisioning.
    const undo = new UndoStack(this.logger);
    undo.onFailure(`record of disk ${disk.name}`, () => this.deleteRecord(disk, vm, meta));
    return this.runner.task(HOTPLUG.attachDisk, vm, meta, async (ctx) => {
      if (!host) return { diskId: disk.id, targetDev };
      await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, diskId: disk.id });
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
        // Only what this call made (a volume that was already there is not ours to remove).
        if (vol.created) undo.onFailure(`volume ${volumeNameFor(disk)}`, () => this.deleteVolume(disk, host));
        await this.diskRepo.provisioned(disk.id, {
          volumePath: vol.path,
          allocationBytes: vol.allocationBytes,
          provisionedAt: new Date(),
        });
        const live = await this.runner.isActive(id);
        const device: VmDeviceSpec = {
          kind: 'disk',
          disk: { id: disk.id, path: vol.path, format: disk.format, bus, cache: disk.cache, targetDev },
        };
        await this.checks.sendStep(host, 'vm.attach-device', { uuid: id, device, live }, ctx, 'attach');
        return { diskId: disk.id, targetDev, path: vol.path, live };
      } catch (err) {
        await undo.unwind();
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
    if (host) await this.deleteVolume(disk, host);
    await this.deleteRecord(disk, vm, meta);
  }

  private async deleteVolume(disk: DiskEntity, host: HostEntity): Promise<void> {
    const sd = await this.sdRepo.byId(disk.storageDomainId);
    const { pool } = await this.checks.send(host, 'storage.ensure-pool', {
      name: poolNameFor(sd),
      path: sd.path,
    });
    // A disk with external snapshots loses their overlays too (the whole chain).
    await this.checks.send(host, 'volume.delete', { pool, ...volumeDeletionFor(disk) });
  }

  private async deleteRecord(disk: DiskEntity, vm: VmEntity, meta: RequestMeta): Promise<void> {
    await this.diskRepo.delete(disk.id);
    await this.notify.deleted(ObjectType.Disk, disk, meta, [refOf(ObjectType.Vm, vm)]);
  }

  async detachDisk(id: string, diskId: string, deleteVolume: boolean, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.runner.target(id);
    const disk = await this.diskRepo.ofVmById(id, diskId);
    if (!disk) throw notFound(ObjectType.Disk, diskId);
    const sd = await this.sdRepo.byId(disk.storageDomainId);
    if (!isFileDomain(sd))
      throw invalidState(
        `disk ${disk.name} is on ${sd.type} domain ${sd.name}: hot-unplug handles file disks only; delete the VM with its disks, or detach it while the VM is down (PATCH /disks/{id})`,
        [{ reason: `disk on an ${sd.type} domain`, ref: refOf(ObjectType.Disk, disk) }],
      );
    const held = [refOf(ObjectType.Vm, vm), refOf(ObjectType.Disk, disk)];
    return this.runner.task(
      HOTPLUG.detachDisk,
      vm,
      meta,
      async (ctx) => {
        const live = host ? await this.runner.isActive(id) : false;
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
    else await this.diskRepo.detach(disk.id);
  }
}
