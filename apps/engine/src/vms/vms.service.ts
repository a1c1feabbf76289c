import {
  ApiErrorDetail,
  EventSeverity,
  ObjectRef,
  ObjectType,
  statusPhrase,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta, SYSTEM_META } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { ClusterEntity } from '../clusters/cluster.entity';
import { EventsService } from '../events/events.service';
import { changedFields, ChildKind, InventoryService, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateVmDto, UpdateVmDto } from './vm.dto';
import { HA_PRIORITY_DEFAULT, VmEntity } from './vm.entity';

/** Changing these on a running VM takes effect at its next start (recorded in pendingRestart). */
const HARDWARE: (keyof VmEntity)[] = [
  'vcpus',
  'memoryMib',
  'maxMemoryMib',
  'osType',
  'bootOrder',
  'graphicsVnc',
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
    { type: ObjectType.Disk, entity: 'DiskEntity', field: 'vmId', label: 'attached disks' },
    {
      type: ObjectType.Vm,
      entity: 'VmEntity',
      field: 'sourceTemplateId',
      label: 'VMs made from this template',
    },
  ];

  constructor(
    @InjectRepository(VmEntity) repo: Repository<VmEntity>,
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    events: EventsService,
    stream: StreamService,
  ) {
    super(repo, events, stream);
  }

  protected override related(v: VmEntity): ObjectRef[] {
    return [
      { type: ObjectType.Cluster, id: v.clusterId },
      ...(v.hostId ? [{ type: ObjectType.Host, id: v.hostId }] : []),
    ];
  }

  async create(dto: CreateVmDto, meta: RequestMeta): Promise<VmEntity> {
    const cluster = await this.mustExist(this.clusters, ObjectType.Cluster, dto.clusterId, 'clusterId');
    if (dto.sourceTemplateId) {
      const t = await this.mustExist(this.repo, ObjectType.Vm, dto.sourceTemplateId, 'sourceTemplateId');
      const problems: ApiErrorDetail[] = [];
      if (!t.isTemplate) problems.push({ field: 'sourceTemplateId', reason: `${t.name} is not a template` });
      if (t.datacenterId !== cluster.datacenterId)
        problems.push({ field: 'sourceTemplateId', reason: 'template is in another datacenter' });
      if (problems.length) throw validationFailed('invalid sourceTemplateId', problems);
    }
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
    const hardware = [
      ...changedFields(current, patch).filter(
        (f) => HARDWARE.includes(f) && !(applied.appliedLive ?? []).includes(f),
      ),
      ...(applied.pendingExtra ?? []),
    ];
    if (hardware.length && current.status !== VmStatus.Down) {
      const fields = [...new Set([...(current.pendingRestart?.fields ?? []), ...hardware])];
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
    if (status === VmStatus.Down) set.pendingRestart = null;
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
