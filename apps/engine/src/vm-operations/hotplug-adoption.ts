import { DomainMigrationInfo, ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskEntity } from '../disks/disk.entity';
import { DiskRepository } from '../disks/disk.repository';
import { HostEntity } from '../hosts/host.entity';
import { NicsService } from '../nics/nics.service';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { HOTPLUG } from './hotplug-runner';
import { VmDiskHotplugService } from './vm-disk-hotplug.service';
import { CDROM_TARGET, volumeNameFor } from './vm-spec.builder';

type Devices = DomainMigrationInfo | null;
/** What an adopter has learnt before deciding. */
interface Seen {
  ctx: TaskContext;
  cp: TaskCheckpoint;
  vm: VmEntity;
  host: HostEntity;
  devices: Devices;
  meta: RequestMeta;
}

/** The disk is in the domain at its target device, backed by its own volume. */
export const hasDisk = (d: Devices, disk: DiskEntity) =>
  !!d?.disks.some((x) => x.target === disk.targetDev && !!x.path?.endsWith(`/${volumeNameFor(disk)}`));
export const hasNic = (d: Devices, mac: string) =>
  !!d?.interfaces.some((i) => i.mac?.toLowerCase() === mac.toLowerCase());
/** What the CD-ROM drive holds (null: empty, or no drive). */
export const cdromOf = (d: Devices) =>
  d?.disks.find((x) => x.device === 'cdrom' && x.target === CDROM_TARGET)?.path ?? null;

/**
 * Adopts hot-plug tasks (disks, NICs, CD-ROM media) of a dead engine. Whether the device change
 * happened is read from the domain's devices on its host, after the change's own job (if any) ended:
 * done → the records follow it (succeeded); not done → an attach is undone (its new volume and
 * records removed: failed, compensated), a detach or media change left everything as it was (failed,
 * saying so). Without the domain on the host, nothing can be told.
 */
@Injectable()
export class HotplugAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
    private readonly diskHotplug: VmDiskHotplugService,
    private readonly nics: NicsService,
    private readonly disks: DiskRepository,
    private readonly vms: VmRepository,
  ) {}

  onModuleInit(): void {
    for (const type of Object.values(HOTPLUG))
      this.tasks.registerAdopter(type, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host } = await this.probe.target(ctx, cp);
    if (typeof cp.jobId === 'string') {
      const out = await this.probe.outcome(host, stepCommand(ctx.task.type), cp.jobId);
      if (out.state === 'failed')
        await ctx.progress(ctx.task.progress, `the host had refused: ${out.error.message}`);
    }
    const devices = await this.probe.devices(vm, host);
    if (!devices)
      throw new TaskUnknowable(
        `the engine running ${ctx.task.type} stopped and ${host.name} no longer knows VM ${vm.name}; check where it is defined`,
      );
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    const seen: Seen = { ctx, cp, vm, host, devices, meta };
    switch (ctx.task.type) {
      case HOTPLUG.attachDisk:
      case HOTPLUG.detachDisk:
        return this.disk(seen);
      case HOTPLUG.attachNic:
      case HOTPLUG.detachNic:
        return this.nic(seen);
      default:
        return this.cdrom(seen);
    }
  }

  private async disk({ ctx, cp, vm, host, devices, meta }: Seen): Promise<Record<string, unknown>> {
    const disk = await this.disks.find(cp.diskId as string);
    if (!disk)
      throw new TaskUnknowable(
        `the disk of this ${ctx.task.type} is gone from the records; check VM ${vm.name}`,
      );
    const present = hasDisk(devices, disk);
    if (ctx.task.type === HOTPLUG.attachDisk) {
      if (present) {
        const path = devices!.disks.find((x) => x.target === disk.targetDev)!.path!;
        await this.disks.atPath(disk.id, path, disk.provisionedAt ?? new Date());
        return { diskId: disk.id, targetDev: disk.targetDev, path };
      }
      await this.diskHotplug.dropNewDisk(disk, vm, host, meta);
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped while attaching disk ${disk.name} and ${host.name} does not show it on VM ${vm.name}; its volume and record were removed: attach it again`,
      );
    }
    if (present)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped while detaching disk ${disk.name} and ${host.name} still shows it on VM ${vm.name} (${disk.targetDev}); nothing changed: detach it again`,
      );
    const deleteVolume = cp.deleteVolume === true;
    await this.diskHotplug.releaseDisk(disk, vm, host, deleteVolume, meta);
    return { diskId: disk.id, deletedVolume: deleteVolume };
  }

  private async nic({ ctx, cp, vm, host, devices, meta }: Seen): Promise<Record<string, unknown>> {
    const nicId = cp.nicId as string;
    const mac = cp.mac as string;
    const present = hasNic(devices, mac);
    if (ctx.task.type === HOTPLUG.attachNic) {
      if (present) return { nicId, mac };
      await this.nics.remove(nicId, meta).catch(() => undefined);
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped while attaching NIC ${mac} and ${host.name} does not show it on VM ${vm.name}; its record was removed: attach it again`,
      );
    }
    if (present)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped while detaching NIC ${mac} and ${host.name} still shows it on VM ${vm.name}; nothing changed: detach it again`,
      );
    await this.nics.remove(nicId, meta).catch(() => undefined);
    return { nicId };
  }

  private async cdrom({ cp, vm, host, devices }: Seen): Promise<Record<string, unknown>> {
    const wanted = (cp.isoPath as string | null) ?? null;
    const holds = cdromOf(devices);
    if (holds !== wanted)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped while changing the CD-ROM of VM ${vm.name} and ${host.name} shows it ${holds ? `holding ${holds}` : 'empty'}; change it again`,
      );
    await this.vms.setCdrom(vm.id, wanted);
    return { isoPath: wanted };
  }
}

/** The agent command a hot-plug task's job runs. */
function stepCommand(type: string) {
  if (type === HOTPLUG.changeCdrom) return 'vm.change-media' as const;
  return type === HOTPLUG.attachDisk || type === HOTPLUG.attachNic
    ? ('vm.attach-device' as const)
    : ('vm.detach-device' as const);
}
