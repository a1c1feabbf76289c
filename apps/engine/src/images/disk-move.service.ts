import { DiskFormat, ErrorCode, ObjectType, Task, VmStatus } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { basename } from 'node:path';
import { DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { DisksService } from '../disks/disks.service';
import type { DiskEntity } from '../disks/disk.entity';
import type { HostEntity } from '../hosts/host.entity';
import type { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { TaskSpec, TasksService } from '../tasks/tasks.service';
import type { VmEntity } from '../vms/vm.entity';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { diskVolumeName, domainPool } from './volume-names';
import { VmRepository } from '../vms/vm.repository';
import { ImagesService } from './images.service';
import { DISK_MOVE_TASK, LiveDiskMoves, LiveMovePlan } from './live-disk-move';

/** A VM in these states runs its disks in QEMU: they move live (blockcopy), on its host. */
const LIVE: VmStatus[] = [VmStatus.Up, VmStatus.Paused];

/** The `disk.move` task: it holds the disk and its VM (nothing else changes them meanwhile). */
function moveTask(disk: DiskEntity, vm: VmEntity | null, meta: RequestMeta): TaskSpec {
  const ref = refOf(ObjectType.Disk, disk);
  return {
    type: DISK_MOVE_TASK,
    target: ref,
    requestedBy: meta.actor,
    correlationId: meta.correlationId,
    locks: [ref, ...(vm ? [refOf(ObjectType.Vm, vm)] : [])],
  };
}

/**
 * Moving a disk to another storage domain of its datacenter. Its VM down: the volume is copied on a
 * host that has both pools active (`qemu-img convert`). Its VM running: the VM's host mirrors the
 * disk into a new volume and pivots to it (`disk.live-move`, progress from the block job; a live
 * move can be cancelled). Then the record is switched and the old volume deleted. A copy that fails
 * or is cancelled leaves the disk where it was, and nothing of the copy behind.
 */
@Injectable()
export class DiskMoveService implements OnModuleInit {
  constructor(
    private readonly disks: DisksService,
    private readonly images: ImagesService,
    private readonly tasks: TasksService,
    private readonly guard: VmGuard,
    private readonly vms: VmRepository,
    private readonly live: LiveDiskMoves,
  ) {}

  onModuleInit(): void {
    this.tasks.registerCanceller(DISK_MOVE_TASK, (task) => this.cancel(task));
  }

  async move(
    diskId: string,
    storageDomainId: string,
    meta: RequestMeta,
    bandwidthMiBps?: number,
  ): Promise<Task> {
    const disk = await this.disks.get(diskId);
    const ref = refOf(ObjectType.Disk, disk);
    if (storageDomainId === disk.storageDomainId)
      throw validationFailed('the disk is already on that storage domain', [
        { field: 'storageDomainId', reason: 'must be another domain than the disk’s' },
      ]);
    const vm = disk.vmId ? await this.vms.byId(disk.vmId) : null;
    const live = !!vm && LIVE.includes(vm.status);
    if (vm && !live && vm.status !== VmStatus.Down)
      throw invalidState(
        `VM ${vm.name} is ${vm.status}: its disks move while it is down or running, not in between`,
        [{ reason: `VM is ${vm.status}`, ref: refOf(ObjectType.Vm, vm) }],
      );
    if (!disk.provisionedAt)
      throw invalidState(`disk ${disk.name} has no volume yet`, [{ reason: 'not provisioned', ref }]);
    if (disk.activeImagePath)
      throw invalidState(`disk ${disk.name} has a snapshot overlay: delete the snapshot before moving it`, [
        { reason: 'external snapshot overlay in use', ref },
      ]);
    const from = await this.images.usableDomain(disk.storageDomainId);
    const to = await this.images.usableDomain(storageDomainId);
    if (to.datacenterId !== from.datacenterId)
      throw validationFailed('the target domain is in another datacenter', [
        { field: 'storageDomainId', reason: 'must be a domain of the disk’s datacenter' },
      ]);
    const host = await this.images.hostReaching([from, to], vm?.hostId ?? null, disk.name);
    if (live) return this.moveLive(disk, vm, host, from, to, meta, bandwidthMiBps);
    if (bandwidthMiBps !== undefined)
      throw validationFailed('a bandwidth limit is for live moves', [
        { field: 'bandwidthMiBps', reason: 'the disk’s VM is down: the copy is offline' },
      ]);
    const volume = basename(disk.volumePath);
    const format = disk.format === DiskFormat.Raw ? 'raw' : 'qcow2';
    return this.tasks.launch(moveTask(disk, vm, meta), async (ctx) => {
      await ctx.progress(5, `copying on ${host.name}`);
      const { path } = await this.guard.send(
        host,
        'volume.copy',
        { pool: domainPool(from), volume, format, toPool: domainPool(to), toVolume: diskVolumeName(disk) },
        ctx,
      );
      await ctx.progress(80, 'switching the disk to its new domain');
      await this.disks.setLocation(disk.id, to.id, path, meta);
      await ctx.progress(90, 'deleting the old volume');
      await this.guard.send(host, 'image.delete', { pool: domainPool(from), volume }, ctx);
      return { diskId: disk.id, from: from.id, to: to.id, hostId: host.id, volumePath: path };
    });
  }

  /** The running VM's host mirrors the disk into the target domain and pivots; then the record
   * follows and the old volume goes (LiveDiskMoves, which also settles a move whose agent or
   * engine died meanwhile). */
  private moveLive(
    disk: DiskEntity,
    vm: VmEntity,
    host: HostEntity,
    from: StorageDomainEntity,
    to: StorageDomainEntity,
    meta: RequestMeta,
    bandwidthMiBps?: number,
  ): Promise<Task> {
    if (host.id !== vm.hostId)
      throw new DomainError(
        ErrorCode.HostUnavailable,
        `VM ${vm.name} runs on a host that does not have both storage domains active`,
        [{ reason: 'the VM’s host cannot reach both domains', ref: refOf(ObjectType.Vm, vm) }],
      );
    if (!disk.targetDev)
      throw invalidState(`disk ${disk.name} has no device on VM ${vm.name}`, [
        { reason: 'no target device', ref: refOf(ObjectType.Disk, disk) },
      ]);
    const plan: LiveMovePlan = {
      diskId: disk.id,
      vmId: vm.id,
      from: from.id,
      to: to.id,
      fromPool: domainPool(from),
      oldPath: disk.volumePath,
      payload: {
        uuid: vm.id,
        targetDev: disk.targetDev,
        format: disk.format === DiskFormat.Raw ? 'raw' : 'qcow2',
        capacityBytes: disk.virtualSizeBytes,
        toPool: domainPool(to),
        toVolume: diskVolumeName(disk),
        ...(bandwidthMiBps ? { bandwidthMiBps } : {}),
      },
    };
    return this.tasks.launch(moveTask(disk, vm, meta), async (ctx) => {
      await ctx.progress(2, `moving ${plan.payload.targetDev} of VM ${vm.name} live on ${host.name}`);
      return this.live.run(ctx, host, plan, meta);
    });
  }

  /** The canceller of `disk.move`: aborts the block copy on the VM's host (live moves only: an
   * offline copy is short and has nothing to abort). */
  private async cancel(task: Task): Promise<void> {
    const disk = task.target ? await this.disks.get(task.target.id) : null;
    const vm = disk?.vmId ? await this.vms.byId(disk.vmId) : null;
    if (!disk?.targetDev || !vm?.hostId || !LIVE.includes(vm.status))
      throw invalidState('only a live disk move can be cancelled', [
        { reason: 'not a live move', ref: { type: ObjectType.Task, id: task.id } },
      ]);
    await this.guard.send(vm.hostId, 'disk.live-move-abort', { uuid: vm.id, targetDev: disk.targetDev });
    // Usually over within a second (the copy aborted, the new volume deleted).
    await this.tasks.wait(task.id, 10_000);
  }
}
