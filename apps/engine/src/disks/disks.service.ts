import {
  DiskBus,
  DiskCache,
  DiskFormat,
  ObjectRef,
  ObjectType,
  StorageDomainStatus,
  statusPhrase,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { conflict, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { EventsService } from '../events/events.service';
import { InventoryService, refOf } from '../crud/inventory.service';
import { isFileDomain } from '../storage-domains/domain-kinds';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { StreamService } from '../stream/stream.service';
import { TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { CreateDiskDto, UpdateDiskDto } from './disk.dto';
import { DiskEntity } from './disk.entity';
import { assertBusFitsMachine } from './machine-bus';

const PREFIX: Record<DiskBus, string> = { virtio: 'vd', sata: 'sd', scsi: 'sd', ide: 'hd' };
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** vda, vdb, … the first name of the bus's family not used on the VM. */
export function nextTargetDev(bus: DiskBus, used: string[]): string | undefined {
  const prefix = PREFIX[bus];
  for (const l of LETTERS) if (!used.includes(`${prefix}${l}`)) return `${prefix}${l}`;
  return undefined;
}

/** A domain's pool exists only where the domain is active: a disk on a detached, inactive or
 * maintenance domain could never get a volume (a directory too: no host serves or checks it). */
function assertServing(sd: StorageDomainEntity): void {
  if (sd.status === StorageDomainStatus.Active || sd.status === StorageDomainStatus.Degraded) return;
  throw invalidState(
    `storage domain ${sd.name} is ${statusPhrase(sd.status)}: activate it in its datacenter before putting disks there`,
    [
      {
        field: 'storageDomainId',
        reason: `domain is ${sd.status}`,
        ref: refOf(ObjectType.StorageDomain, sd),
      },
    ],
  );
}

/** RBD images and LUNs are raw (their storage thin-provisions and snapshots them); elsewhere qcow2
 * by default. */
function formatOn(sd: StorageDomainEntity, wanted: DiskFormat | undefined): DiskFormat {
  if (isFileDomain(sd)) return wanted ?? DiskFormat.Qcow2;
  if (wanted === DiskFormat.Qcow2)
    throw validationFailed(`storage domain ${sd.name} is an ${sd.type} domain: its disks are raw`, [
      { field: 'format', reason: `${sd.type} domains take raw disks only` },
    ]);
  return DiskFormat.Raw;
}

@Injectable()
export class DisksService extends InventoryService<DiskEntity> {
  protected readonly type = ObjectType.Disk;
  protected readonly alias = 'd';
  protected readonly listSpec: ListSpec = {
    sortable: {
      name: 'd.name',
      virtualSizeBytes: 'd.virtualSizeBytes',
      createdAt: 'd.createdAt',
      updatedAt: 'd.updatedAt',
    },
    defaultSort: 'name',
    search: 'd.name',
    filters: {
      vmId: 'd.vmId',
      storageDomainId: 'd.storageDomainId',
      datacenterId: (qb, v, p) =>
        qb.andWhere(
          `d.storageDomainId IN (SELECT sd.id FROM storage_domain sd WHERE sd.datacenter_id = :${p})`,
          {
            [p]: v,
          },
        ),
    },
  };

  constructor(
    @InjectRepository(DiskEntity) repo: Repository<DiskEntity>,
    private readonly domains: StorageDomainRepository,
    private readonly vms: VmRepository,
    events: EventsService,
    stream: StreamService,
    private readonly tasks: TasksService,
  ) {
    super(repo, events, stream);
  }

  protected override related(d: DiskEntity): ObjectRef[] {
    return [
      { type: ObjectType.StorageDomain, id: d.storageDomainId },
      ...(d.vmId ? [{ type: ObjectType.Vm, id: d.vmId }] : []),
    ];
  }

  /** Records the disk only: its volume is created on storage when its VM is provisioned or it is hot-plugged. */
  async create(dto: CreateDiskDto, meta: RequestMeta): Promise<DiskEntity> {
    const sd = await this.mustExist(
      this.domains,
      ObjectType.StorageDomain,
      dto.storageDomainId,
      'storageDomainId',
    );
    // On an iscsi domain the disk takes a free LUN when its VM is provisioned (vm-operations).
    assertServing(sd);
    const id = randomUUID();
    const format = formatOn(sd, dto.format);
    const bus = dto.bus ?? DiskBus.Virtio;
    const targetDev = dto.vmId
      ? await this.attachTarget(dto.vmId, sd, { bus, field: 'bus' }, dto.targetDev ?? null, id)
      : null;
    return this.insert(
      this.repo.create({
        id,
        name: dto.name,
        description: dto.description ?? '',
        storageDomainId: sd.id,
        volumePath: `${sd.path.replace(/\/+$/, '')}/${id}.${format === DiskFormat.Raw ? 'img' : 'qcow2'}`,
        format,
        virtualSizeBytes: dto.virtualSizeBytes,
        allocationBytes: 0,
        bus,
        cache: dto.cache ?? DiskCache.None,
        bootable: dto.bootable ?? false,
        vmId: dto.vmId ?? null,
        targetDev,
      }),
      meta,
    );
  }

  /** Records a disk whose volume an upload already wrote and checked (images/): provisioned, on no VM. */
  adoptUploaded(
    d: Pick<
      DiskEntity,
      'id' | 'name' | 'storageDomainId' | 'volumePath' | 'format' | 'virtualSizeBytes' | 'allocationBytes'
    >,
    meta: RequestMeta,
  ): Promise<DiskEntity> {
    return this.insert(
      this.repo.create({
        ...d,
        description: 'uploaded',
        bus: DiskBus.Virtio,
        cache: DiskCache.None,
        bootable: false,
        vmId: null,
        targetDev: null,
        provisionedAt: new Date(),
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateDiskDto, meta: RequestMeta): Promise<DiskEntity> {
    const current = await this.get(id);
    await this.assertNotInUse(current, dto.vmId);
    const patch: Partial<DiskEntity> = { ...dto };
    if (
      dto.virtualSizeBytes !== undefined &&
      current.provisionedAt &&
      dto.virtualSizeBytes !== current.virtualSizeBytes
    ) {
      throw invalidState(
        `disk ${current.name} has a volume: grow it with POST /disks/{id}/resize, which resizes it on the host`,
        [
          {
            field: 'virtualSizeBytes',
            reason: 'the volume exists; use the resize action',
            ref: refOf(ObjectType.Disk, current),
          },
        ],
      );
    }
    if (dto.virtualSizeBytes !== undefined && dto.virtualSizeBytes < current.virtualSizeBytes) {
      throw validationFailed('disks can only grow', [
        {
          field: 'virtualSizeBytes',
          reason: `must be at least the current size (${current.virtualSizeBytes})`,
        },
      ]);
    }
    const bus = dto.bus ?? current.bus;
    if (dto.vmId === null) {
      if (current.vmId) await this.mustBeDown(current.vmId, 'vmId');
      patch.targetDev = null;
    } else if (
      (dto.vmId !== undefined && dto.vmId !== current.vmId) ||
      (current.vmId && (dto.targetDev !== undefined || dto.bus !== undefined))
    ) {
      const vmId = dto.vmId ?? current.vmId!;
      if (current.vmId && current.vmId !== vmId) await this.mustBeDown(current.vmId, 'vmId');
      const sd = await this.domains.byId(current.storageDomainId);
      const keep =
        dto.targetDev ?? (dto.bus === undefined && vmId === current.vmId ? current.targetDev : null);
      // An IDE disk refused by its new VM's machine: the bus when the request names one, else the VM.
      const field = dto.bus !== undefined ? 'bus' : 'vmId';
      patch.targetDev = await this.attachTarget(vmId, sd, { bus, field, disk: current.name }, keep, id);
    } else if (dto.targetDev !== undefined && !current.vmId && dto.targetDev !== null) {
      throw validationFailed('targetDev needs an attached VM', [
        { field: 'targetDev', reason: 'disk is not attached' },
      ]);
    }
    return this.patch(id, patch, meta, current);
  }

  /** For the resize action, once the host grew the volume. */
  setSize(id: string, virtualSizeBytes: number, meta: RequestMeta): Promise<DiskEntity> {
    return this.patch(id, { virtualSizeBytes }, meta);
  }

  /** Records where a disk's volume now lives, after a move copied it there (images/). */
  setLocation(
    id: string,
    storageDomainId: string,
    volumePath: string,
    meta: RequestMeta,
  ): Promise<DiskEntity> {
    return this.patch(id, { storageDomainId, volumePath }, meta);
  }

  /** 409 while a task holds the disk or a VM it leaves or joins (a snapshot, clone or detach running).
   * A record-only change: checked, not locked (operations that reach a host hold task locks). */
  private async assertNotInUse(d: DiskEntity, newVmId?: string | null): Promise<void> {
    const vmIds = [d.vmId, newVmId].filter((v): v is string => !!v);
    await this.tasks.assertFree([
      refOf(ObjectType.Disk, d),
      ...vmIds.map((id) => ({ type: ObjectType.Vm, id })),
    ]);
  }

  protected override async beforeRemove(d: DiskEntity): Promise<void> {
    await this.assertNotInUse(d);
    if (d.vmId) await this.mustBeDown(d.vmId, 'vmId');
  }

  private async mustBeDown(vmId: string, field: string): Promise<VmEntity> {
    const vm = await this.mustExist(this.vms, ObjectType.Vm, vmId, field);
    if (vm.status !== VmStatus.Down) {
      throw invalidState(`VM ${vm.name} is ${vm.status}; disks change only while it is down`, [
        { field, reason: `VM is ${vm.status}`, ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
    return vm;
  }

  /** Checks the VM can take the disk and returns the target device to use. */
  private async attachTarget(
    vmId: string,
    sd: StorageDomainEntity,
    on: { bus: DiskBus; field: string; disk?: string },
    wanted: string | null,
    diskId: string,
  ): Promise<string> {
    const vm = await this.mustBeDown(vmId, 'vmId');
    assertBusFitsMachine(vm.machineType, [on], vm.name);
    const { bus } = on;
    if (vm.datacenterId !== sd.datacenterId) {
      throw validationFailed('disk and VM are in different datacenters', [
        {
          field: 'vmId',
          reason: "VM is not in the storage domain's datacenter",
          ref: refOf(ObjectType.Vm, vm),
        },
      ]);
    }
    const others = await this.repo.find({
      where: { vmId },
      select: { id: true, targetDev: true, name: true },
    });
    const used = others
      .filter((o) => o.id !== diskId)
      .map((o) => o.targetDev)
      .filter((t): t is string => !!t);
    if (wanted) {
      if (!wanted.startsWith(PREFIX[bus])) {
        throw validationFailed(`targetDev ${wanted} does not fit bus ${bus}`, [
          { field: 'targetDev', reason: `must start with ${PREFIX[bus]} on bus ${bus}` },
        ]);
      }
      if (used.includes(wanted)) {
        throw conflict(`VM ${vm.name} already has a disk at ${wanted}`, [
          { field: 'targetDev', reason: 'already used on this VM' },
        ]);
      }
      return wanted;
    }
    const free = nextTargetDev(bus, used);
    if (!free)
      throw conflict(`VM ${vm.name} has no free ${bus} device name`, [
        { field: 'bus', reason: 'no free target device' },
      ]);
    return free;
  }
}
