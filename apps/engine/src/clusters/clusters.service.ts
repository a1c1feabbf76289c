import {
  DEFAULT_MIGRATION_POLICY,
  DEFAULT_SCHEDULING_THRESHOLDS,
  Firmware,
  MachineType,
  ObjectRef,
  ObjectType,
  SchedulingPolicy,
  SwitchType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { DataCenterRepository } from '../datacenters/datacenter.repository';
import { EventsService } from '../events/events.service';
import { HostRows, VmRows } from '../crud/child-rows.port';
import { ChildKind, InventoryService } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateClusterDto, UpdateClusterDto } from './cluster.dto';
import { defined } from './defined';
import { mergeThresholds } from './scheduling-thresholds';

export { defined };
import { ClusterEntity } from './cluster.entity';
import { ClusterHostsPort } from './cluster-hosts.port';

@Injectable()
export class ClustersService extends InventoryService<ClusterEntity> {
  protected readonly type = ObjectType.Cluster;
  protected readonly alias = 'c';
  protected readonly listSpec: ListSpec = {
    sortable: { name: 'c.name', createdAt: 'c.createdAt', updatedAt: 'c.updatedAt' },
    defaultSort: 'name',
    search: 'c.name',
    filters: { datacenterId: 'c.datacenterId' },
  };
  protected override readonly children: ChildKind[] = [
    { type: ObjectType.Host, rows: HostRows, field: 'clusterId', label: 'hosts' },
    { type: ObjectType.Vm, rows: VmRows, field: 'clusterId', label: 'VMs' },
  ];

  constructor(
    @InjectRepository(ClusterEntity) repo: Repository<ClusterEntity>,
    private readonly datacenters: DataCenterRepository,
    events: EventsService,
    stream: StreamService,
    private readonly moduleRef: ModuleRef,
  ) {
    super(repo, events, stream, moduleRef);
  }

  protected override related(c: ClusterEntity): ObjectRef[] {
    return [{ type: ObjectType.DataCenter, id: c.datacenterId }];
  }

  async create(dto: CreateClusterDto, meta: RequestMeta): Promise<ClusterEntity> {
    await this.mustExist(this.datacenters, ObjectType.DataCenter, dto.datacenterId, 'datacenterId');
    return this.insert(
      this.repo.create({
        id: randomUUID(),
        name: dto.name,
        description: dto.description ?? '',
        datacenterId: dto.datacenterId,
        cpuModel: dto.cpuModel ?? null,
        defaultMachineType: dto.defaultMachineType ?? MachineType.Pc,
        defaultFirmware: dto.defaultFirmware ?? Firmware.Bios,
        compatibilityLevel: dto.compatibilityLevel ?? '1',
        schedulingPolicy: dto.schedulingPolicy ?? SchedulingPolicy.EvenlyDistributed,
        migrationPolicy: { ...DEFAULT_MIGRATION_POLICY, ...defined(dto.migrationPolicy) },
        migrationEncrypted: dto.migrationEncrypted ?? true,
        switchType: dto.switchType ?? SwitchType.LinuxBridge,
        balancingEnabled: dto.balancingEnabled ?? false,
        schedulingThresholds: mergeThresholds(DEFAULT_SCHEDULING_THRESHOLDS, dto.schedulingThresholds),
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateClusterDto, meta: RequestMeta): Promise<ClusterEntity> {
    const current = await this.get(id);
    if (dto.switchType !== undefined && dto.switchType !== current.switchType)
      await this.assertHostsInMaintenance(current, dto.switchType);
    const { migrationPolicy, schedulingThresholds, ...rest } = dto;
    return this.patch(
      id,
      {
        ...rest,
        ...(migrationPolicy
          ? { migrationPolicy: { ...current.migrationPolicy, ...defined(migrationPolicy) } }
          : {}),
        ...(schedulingThresholds
          ? { schedulingThresholds: mergeThresholds(current.schedulingThresholds, schedulingThresholds) }
          : {}),
      },
      meta,
      current,
    );
  }

  /** A host carries its networks as the switch type said when they were set up: changing it under
   * running hosts would leave them wired one way and recorded another. In maintenance (no VMs), each
   * host's network setup is applied again afterwards, the new way. */
  private async assertHostsInMaintenance(cluster: ClusterEntity, switchType: SwitchType): Promise<void> {
    const hosts = this.moduleRef.get(ClusterHostsPort, { strict: false });
    const active = await hosts.notInMaintenanceIn(cluster.id);
    if (!active.length) return;
    throw invalidState(
      `cluster ${cluster.name} cannot switch to ${switchType} while hosts are not in maintenance (${active
        .map((h) => h.name)
        .join(
          ', ',
        )}): put them in maintenance, change the switch type, then apply each host's network setup again`,
      active.map((h) => ({
        field: 'switchType',
        reason: 'host is not in maintenance',
        ref: { type: ObjectType.Host, id: h.id, name: h.name },
      })),
    );
  }
}
