import {
  ApiErrorDetail,
  EventSeverity,
  Firmware,
  MachineType,
  ObjectRef,
  ObjectType,
  PendingRestart,
  statusPhrase,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta, SYSTEM_META } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterRepository } from '../clusters/cluster.repository';
import { DiskRows, VmRows } from '../crud/child-rows.port';
import { EventsService } from '../events/events.service';
import { changedFields, ChildKind, InventoryService, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateVmDto, UpdateVmDto } from './vm.dto';
import { HA_PRIORITY_DEFAULT, VmEntity } from './vm.entity';

/** Fields that only a new definition of the domain applies (no virsh call changes them in place): a
 * start of a VM defined on a host defines it again from the records while one of them is pending, and
 * they stay pending through a stop (recorded even on a stopped VM that a host defines). */
export const REDEFINED_FIELDS: (keyof VmEntity)[] = [
  'machineType',
  'firmware',
  'secureBoot',
  'bootOrder',
  'watchdogAction',
];

/** Changing these on a running VM takes effect at its next start (recorded in pendingRestart). */
const HARDWARE: (keyof VmEntity)[] = [
  'vcpus',
  'memoryMib',
  'maxMemoryMib',
  'osType',
  'bootOrder',
  'graphicsVnc',
  'machineType',
  'firmware',
  'secureBoot',
  'watchdogAction',
];

@Injectable()
export class VmsService extends InventoryService<VmEntity> {
  protected readonly type = ObjectType.Vm;
  protected readonly alias = 'v';
  protected readonly listSpec: ListSpec = {
    sortable: {
      name: 'v.name',
      status: 'v.status',
      vcpus: 'v.vcpus',
      memoryMib: 'v.memoryMib',
      createdAt: 'v.createdAt',
      updatedAt: 'v.updatedAt',
    },
    defaultSort: 'name',
    search: 'v.name',
    filters: {
      clusterId: 'v.clusterId',
      datacenterId: 'v.datacenterId',
      hostId: 'v.hostId',
      status: 'v.status',
      isTemplate: 'v.isTemplate',
      external: 'v.external',
    },
  };
  /** NICs and snapshots are part of the VM and go with it; disks are objects of their own. */
  protected override readonly children: ChildKind[] = [
    { type: ObjectType.Disk, rows: DiskRows, field: 'vmId', label: 'attached disks' },
    {
      type: ObjectType.Vm,
      rows: VmRows,
      field: 'sourceTemplateId',
      label: 'VMs made from this template',
    },
  ];

  constructor(
    @InjectRepository(VmEntity) repo: Repository<VmEntity>,
    private readonly clusters: ClusterRepository,
    events: EventsService,
    stream: StreamService,
    moduleRef: ModuleRef,
  ) {
    super(repo, events, stream, moduleRef);
  }

  protected override related(v: VmEntity): ObjectRef[] {
    return [
      { type: ObjectType.Cluster, id: v.clusterId },
      ...(v.hostId ? [{ type: ObjectType.Host, id: v.hostId }] : []),
    ];
  }

  async create(dto: CreateVmDto, meta: RequestMeta): Promise<VmEntity> {
    const cluster = await this.mustExist(this.clusters, ObjectType.Cluster, dto.clusterId, 'clusterId');
    const firmware = await this.firmwareFor(dto, cluster);
    const memoryMib = dto.memoryMib ?? 1024;
    const maxMemoryMib = dto.maxMemoryMib ?? memoryMib;
    checkMemory(memoryMib, maxMemoryMib);
    return this.insert(
      this.repo.create({
        id: randomUUID(),
        name: dto.name,
        description: dto.description ?? '',
        datacenterId: cluster.datacenterId,
        clusterId: cluster.id,
        hostId: null,
        desiredStatus: VmStatus.Down,
        status: VmStatus.Down,
        statusReason: null,
        vcpus: dto.vcpus ?? 1,
        memoryMib,
        maxMemoryMib,
        osType: dto.osType ?? 'other',
        bootOrder: dto.bootOrder ?? ['hd'],
        ...firmware,
        watchdogAction: dto.watchdogAction ?? null,
        graphicsVnc: dto.graphicsVnc ?? true,
        isTemplate: dto.isTemplate ?? false,
        sourceTemplateId: dto.sourceTemplateId ?? null,
        highlyAvailable: dto.highlyAvailable ?? false,
        haPriority: dto.haPriority ?? HA_PRIORITY_DEFAULT,
        createdBy: meta.actor,
        external: false,
        pendingRestart: null,
      }),
      meta,
    );
  }

  /**
   * The machine type, firmware and Secure Boot a create gets: what it names, else its template's (a
   * guest installed on one machine type may not boot on the other), else the cluster's defaults. They
   * are copied, not referenced: changing a default or the template later never changes existing VMs.
   * Secure Boot follows the template only while the VM keeps the UEFI q35 machine it needs.
   */
  async firmwareFor(
    dto: CreateVmDto,
    cluster: Pick<ClusterEntity, 'datacenterId' | 'defaultMachineType' | 'defaultFirmware'>,
  ): Promise<Pick<VmEntity, 'machineType' | 'firmware' | 'secureBoot'>> {
    const t = dto.sourceTemplateId ? await this.template(dto.sourceTemplateId, cluster.datacenterId) : null;
    const machineType = dto.machineType ?? t?.machineType ?? cluster.defaultMachineType;
    const firmware = dto.firmware ?? t?.firmware ?? cluster.defaultFirmware;
    const keepsMachine = t && machineType === t.machineType && firmware === t.firmware;
    const v = { machineType, firmware, secureBoot: dto.secureBoot ?? (keepsMachine ? t.secureBoot : false) };
    checkFirmware(v);
    return v;
  }

  private async template(id: string, datacenterId: string): Promise<VmEntity> {
    const t = await this.mustExist(this.repo, ObjectType.Vm, id, 'sourceTemplateId');
    const problems: ApiErrorDetail[] = [];
    if (!t.isTemplate) problems.push({ field: 'sourceTemplateId', reason: `${t.name} is not a template` });
    if (t.datacenterId !== datacenterId)
      problems.push({ field: 'sourceTemplateId', reason: 'template is in another datacenter' });
    if (problems.length) throw validationFailed('invalid sourceTemplateId', problems);
    return t;
  }

  /** `applied.appliedLive`: hardware fields the lifecycle already changed on the running VM (not
   * pending); `applied.pendingExtra`: more fields that wait for the next start (e.g. a rename). */
  async update(
    id: string,
    dto: UpdateVmDto,
    meta: RequestMeta,
    applied: { appliedLive?: string[]; pendingExtra?: string[] } = {},
  ): Promise<VmEntity> {
    const current = await this.get(id);
    const patch: Partial<VmEntity> = { ...dto };
    if (dto.clusterId !== undefined && dto.clusterId !== current.clusterId) {
      if (current.status !== VmStatus.Down) {
        throw invalidState(`VM ${current.name} must be down to move to another cluster`, [
          {
            field: 'clusterId',
            reason: `VM is ${statusPhrase(current.status)}`,
            ref: refOf(ObjectType.Vm, current),
          },
        ]);
      }
      const cluster = await this.mustExist(this.clusters, ObjectType.Cluster, dto.clusterId, 'clusterId');
      if (cluster.datacenterId !== current.datacenterId) {
        throw validationFailed('a VM cannot move to another datacenter', [
          { field: 'clusterId', reason: 'cluster is in another datacenter' },
        ]);
      }
    }
    const memoryMib = dto.memoryMib ?? current.memoryMib;
    const maxMemoryMib = dto.maxMemoryMib ?? Math.max(current.maxMemoryMib, memoryMib);
    checkMemory(memoryMib, maxMemoryMib);
    patch.maxMemoryMib = maxMemoryMib;
    checkFirmware({
      machineType: dto.machineType ?? current.machineType,
      firmware: dto.firmware ?? current.firmware,
      secureBoot: dto.secureBoot ?? current.secureBoot,
    });
    const hardware = [
      ...changedFields(current, patch).filter(
        (f) => HARDWARE.includes(f) && !(applied.appliedLive ?? []).includes(f),
      ),
      ...(applied.pendingExtra ?? []),
    ];
    const definedStopped = current.status === VmStatus.Down && current.hostId !== null && !current.external;
    const pending =
      current.status !== VmStatus.Down
        ? hardware
        : definedStopped
          ? hardware.filter((f) => REDEFINED_FIELDS.includes(f as keyof VmEntity))
          : [];
    if (pending.length) {
      const fields = [...new Set([...(current.pendingRestart?.fields ?? []), ...pending])];
      patch.pendingRestart = { fields, since: current.pendingRestart?.since ?? new Date().toISOString() };
    }
    return this.patch(id, patch, meta, current);
  }

  protected override async beforeRemove(v: VmEntity): Promise<void> {
    if (v.status !== VmStatus.Down && v.status !== VmStatus.Crashed) {
      throw invalidState(`VM ${v.name} is ${statusPhrase(v.status)}; stop it first`, [
        { reason: `status is ${v.status}`, ref: refOf(ObjectType.Vm, v) },
      ]);
    }
  }

  /** For the VM lifecycle and monitoring features: actual status (and host), published as `vm.status`. */
  async setStatus(
    id: string,
    status: VmStatus,
    opts: { hostId?: string | null; reason?: string | null } = {},
    meta = SYSTEM_META,
  ): Promise<VmEntity> {
    const current = await this.get(id);
    const set: Partial<VmEntity> = { status, statusReason: opts.reason ?? null };
    if (opts.hostId !== undefined) set.hostId = opts.hostId;
    if (status === VmStatus.Down) set.pendingRestart = stillPendingWhenDown(current.pendingRestart);
    await this.repo.update({ id }, set);
    const vm = await this.get(id);
    if (current.status !== status) {
      const refs = [refOf(ObjectType.Vm, vm), ...this.related(vm)];
      await this.notify.stream.publish({
        type: 'vm.status',
        object: refs[0],
        from: current.status,
        to: status,
        hostId: vm.hostId,
        reason: vm.statusReason,
        refs,
        correlationId: meta.correlationId,
      });
      await this.notify.events.record({
        severity:
          status === VmStatus.Crashed || status === VmStatus.Unknown
            ? EventSeverity.Warning
            : EventSeverity.Info,
        type: 'vm.status',
        message: `VM ${vm.name} is ${statusPhrase(status)} (was ${statusPhrase(current.status)})${vm.statusReason ? `: ${vm.statusReason}` : ''}`,
        refs,
        correlationId: meta.correlationId,
      });
    }
    return vm;
  }

  /** Desired status (what the user asked for); the lifecycle feature drives the actual one toward it. */
  async setDesiredStatus(id: string, desiredStatus: VmStatus, meta: RequestMeta): Promise<VmEntity> {
    return this.patch(id, { desiredStatus }, meta);
  }
}

function checkMemory(memoryMib: number, maxMemoryMib: number): void {
  if (maxMemoryMib < memoryMib) {
    throw validationFailed('maxMemoryMib must not be below memoryMib', [
      { field: 'maxMemoryMib', reason: `must be at least memoryMib (${memoryMib})` },
    ]);
  }
}

/** Secure Boot is a UEFI feature, and OVMF's Secure Boot build needs SMM, which QEMU has on q35 only. */
function checkFirmware(v: Pick<VmEntity, 'machineType' | 'firmware' | 'secureBoot'>): void {
  if (!v.secureBoot) return;
  const problems: ApiErrorDetail[] = [];
  if (v.firmware !== Firmware.Uefi)
    problems.push({ field: 'secureBoot', reason: `needs firmware uefi (the VM has ${v.firmware})` });
  if (v.machineType !== MachineType.Q35)
    problems.push({ field: 'secureBoot', reason: `needs machineType q35 (the VM has ${v.machineType})` });
  if (problems.length) throw validationFailed('Secure Boot needs UEFI firmware on a q35 machine', problems);
}

/** A stop applies what `--config` changed; what needs a new definition waits for the next start. */
function stillPendingWhenDown(p: PendingRestart | null): PendingRestart | null {
  const fields = p?.fields.filter((f) => REDEFINED_FIELDS.includes(f as keyof VmEntity)) ?? [];
  return fields.length ? { fields, since: p!.since } : null;
}
