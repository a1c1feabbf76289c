import { HostStatus, ObjectType, StorageDomainType, Task, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { basename } from 'node:path';
import { invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { DiskEntity } from '../disks/disk.entity';
import { DisksService } from '../disks/disks.service';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { poolNameFor } from '../storage-domains/pool-name';
import { StorageLifecycleRepository } from './storage-lifecycle.repository';

export const DISK_RESIZE_TASK = 'disk.resize';
/** VM states whose disks libvirt can grow live (`blockresize`). */
const LIVE: VmStatus[] = [VmStatus.Up, VmStatus.Paused];

/**
 * Growing a disk on its host: `blockresize` while its VM runs (the guest sees the new size at once),
 * `vol-resize` otherwise; a disk whose volume was never created only changes its record.
 */
@Injectable()
export class DiskResizeService {
  constructor(
    private readonly disks: DisksService,
    private readonly vms: VmRepository,
    private readonly sds: StorageDomainRepository,
    private readonly repo: StorageLifecycleRepository,
    private readonly tasks: TasksService,
    private readonly guard: VmGuard,
  ) {}

  async resize(id: string, capacityBytes: number, meta: RequestMeta): Promise<Task> {
    const disk = await this.disks.get(id);
    if (capacityBytes <= disk.virtualSizeBytes) {
      throw validationFailed('disks can only grow', [
        {
          field: 'virtualSizeBytes',
          reason: `must be more than the current size (${disk.virtualSizeBytes})`,
        },
      ]);
    }
    const vm = disk.vmId ? await this.vms.byId(disk.vmId) : null;
    const live = !!vm && LIVE.includes(vm.status);
    if (vm && !live && vm.status !== VmStatus.Down) {
      throw invalidState(`VM ${vm.name} is ${vm.status}: resize its disk while it runs or once it is down`, [
        { reason: `VM is ${vm.status}`, ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
    if (!live && disk.activeImagePath) {
      throw invalidState(
        `disk ${disk.name} has a snapshot overlay: delete the snapshot before resizing it offline`,
        [{ reason: 'external snapshot overlay in use', ref: refOf(ObjectType.Disk, disk) }],
      );
    }
    const sd = await this.sds.byId(disk.storageDomainId);
    if (sd.type === StorageDomainType.Iscsi)
      throw invalidState(
        `disk ${disk.name} is a LUN of iscsi domain ${sd.name}: its size is the LUN's, grow the LUN on the target`,
        [
          {
            field: 'virtualSizeBytes',
            reason: 'a LUN disk cannot be resized',
            ref: refOf(ObjectType.Disk, disk),
          },
        ],
      );
    const host = disk.provisionedAt ? await this.hostFor(disk, vm, sd, live) : null;
    const target = refOf(ObjectType.Disk, disk);
    return this.tasks.launch(
      {
        type: DISK_RESIZE_TASK,
        target,
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        locks: [target, ...(vm ? [refOf(ObjectType.Vm, vm)] : [])],
      },
      async (ctx) => {
        if (host && live) {
          await this.guard.send(
            host,
            'vm.block-resize',
            { uuid: vm!.id, targetDev: disk.targetDev!, capacityBytes },
            ctx,
          );
        } else if (host) await this.offline(ctx, host, sd, disk, capacityBytes);
        await this.disks.setSize(disk.id, capacityBytes, meta);
        return { diskId: disk.id, virtualSizeBytes: capacityBytes, live, hostId: host?.id ?? null };
      },
    );
  }

  private async offline(
    ctx: TaskContext,
    host: HostEntity,
    sd: StorageDomainEntity,
    disk: DiskEntity,
    bytes: number,
  ) {
    const { pool } = await this.guard.send(
      host,
      'storage.ensure-pool',
      { name: poolNameFor(sd), path: sd.path },
      ctx,
    );
    await this.guard.send(
      host,
      'volume.resize',
      { pool, name: basename(disk.volumePath), capacityBytes: bytes },
      ctx,
    );
  }

  /** Where the volume is reachable: the VM's host when it has one (a host-local domain's volume is
   * only there), otherwise any Up host of the datacenter. */
  private async hostFor(
    disk: DiskEntity,
    vm: VmEntity | null,
    sd: StorageDomainEntity,
    live: boolean,
  ): Promise<HostEntity> {
    if (vm?.hostId) return this.guard.upHost(vm.hostId);
    if (live || sd.type === StorageDomainType.Local) {
      throw invalidState(`disk ${disk.name} is on no host Kelpie can reach`, [
        { reason: 'no host holds its volume', ref: refOf(ObjectType.Disk, disk) },
      ]);
    }
    const [host] = await this.repo.hostsOf(sd.datacenterId, [HostStatus.Up]);
    if (!host)
      throw invalidState(`no host of the datacenter is up to resize disk ${disk.name}`, [
        { reason: 'no host up', ref: refOf(ObjectType.Disk, disk) },
      ]);
    return host;
  }
}
