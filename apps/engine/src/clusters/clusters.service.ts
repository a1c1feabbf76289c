import {
  DEFAULT_MIGRATION_POLICY,
  HostStatus,
  ObjectRef,
  ObjectType,
  SchedulingPolicy,
  SwitchType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Not, Repository } from 'typeorm';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { EventsService } from '../events/events.service';
import { ChildKind, InventoryService } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateClusterDto, UpdateClusterDto } from './cluster.dto';
import { ClusterEntity } from './cluster.entity';

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
    { type: ObjectType.Host, entity: 'HostEntity', field: 'clusterId', label: 'hosts' },
    { type: ObjectType.Vm, entity: 'VmEntity', field: 'clusterId', label: 'VMs' },
  ];

  constructor(
    @InjectRepository(ClusterEntity) repo: Repository<ClusterEntity>,
    @InjectRepository(DataCenterEntity) private readonly datacenters: Repository<DataCenterEntity>,
    events: EventsService,
    stream: StreamService,
  ) {
    super(repo, events, stream);
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
        compatibilityLevel: dto.compatibilityLevel ?? '1',
        schedulingPolicy: dto.schedulingPolicy ?? SchedulingPolicy.EvenlyDistributed,
        migrationPolicy: { ...DEFAULT_MIGRATION_POLICY, ...defined(dto.migrationPolicy) },
        migrationEncrypted: dto.migrationEncrypted ?? true,
        switchType: dto.switchType ?? SwitchType.LinuxBridge,
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateClusterDto, meta: RequestMeta): Promise<ClusterEntity> {
    const current = await this.get(id);
    if (dto.switchType !== undefined && dto.switchType !== current.switchType)
      await this.assertHostsInMaintenance(current, dto.switchType);
    const { migrationPolicy, ...rest } = dto;
    return this.patch(
      id,
      {
        ...rest,
        ...(migrationPolicy
          ? { migrationPolicy: { ...current.migrationPolicy, ...defined(migrationPolicy) } }
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
    const active: { id: string; name: string }[] = await this.repo.manager.find<{
      id: string;
      name: string;
      clusterId: string;
      status: HostStatus;
    }>('HostEntity', {
      select: { id: true, name: true },
      where: { clusterId: cluster.id, status: Not(HostStatus.Maintenance) },
      order: { name: 'ASC' },
    });
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

/** Only the fields actually given (class instances carry undefined ones). */
export const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
