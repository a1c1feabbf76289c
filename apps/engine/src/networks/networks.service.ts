import { ErrorCode, NetworkAttachment, ObjectRef, ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterRepository } from '../clusters/cluster.repository';
import { DataCenterRepository } from '../datacenters/datacenter.repository';
import { EventsService } from '../events/events.service';
import { NicRows } from '../crud/child-rows.port';
import { ChildKind, InventoryService, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { AttachNetworkDto, CreateNetworkDto, UpdateNetworkDto } from './network.dto';
import { ClusterNetworkEntity, LogicalNetworkEntity } from './network.entity';
import { VnicProfilesService } from './vnic-profiles.service';

@Injectable()
export class NetworksService extends InventoryService<LogicalNetworkEntity> {
  protected readonly type = ObjectType.Network;
  protected readonly alias = 'n';
  protected readonly listSpec: ListSpec = {
    sortable: {
      name: 'n.name',
      bridge: 'n.bridge',
      vlanId: 'n.vlanId',
      createdAt: 'n.createdAt',
      updatedAt: 'n.updatedAt',
    },
    defaultSort: 'name',
    search: 'n.name',
    filters: {
      datacenterId: 'n.datacenterId',
      clusterId: (qb, v, p) =>
        qb.andWhere(`n.id IN (SELECT cn.network_id FROM cluster_network cn WHERE cn.cluster_id = :${p})`, {
          [p]: v,
        }),
    },
  };
  protected override readonly children: ChildKind[] = [
    { type: ObjectType.Nic, rows: NicRows, field: 'networkId', label: 'NICs' },
  ];

  constructor(
    @InjectRepository(LogicalNetworkEntity) repo: Repository<LogicalNetworkEntity>,
    private readonly datacenters: DataCenterRepository,
    private readonly clusters: ClusterRepository,
    @InjectRepository(ClusterNetworkEntity) private readonly attachments: Repository<ClusterNetworkEntity>,
    events: EventsService,
    stream: StreamService,
    owners: ModuleRef,
  ) {
    super(repo, events, stream, owners);
  }

  protected override related(n: LogicalNetworkEntity): ObjectRef[] {
    return [{ type: ObjectType.DataCenter, id: n.datacenterId }];
  }

  async create(dto: CreateNetworkDto, meta: RequestMeta): Promise<LogicalNetworkEntity> {
    await this.mustExist(this.datacenters, ObjectType.DataCenter, dto.datacenterId, 'datacenterId');
    const network = this.repo.create({
      id: randomUUID(),
      name: dto.name,
      description: dto.description ?? '',
      datacenterId: dto.datacenterId,
      bridge: dto.bridge,
      vlanId: dto.vlanId ?? null,
      mtu: dto.mtu ?? 1500,
      vmNetwork: dto.vmNetwork ?? true,
    });
    // With its default profile, so a NIC given only the network has one to attach to.
    await this.repo.manager.transaction(async (tx) => {
      await tx.insert(LogicalNetworkEntity, network);
      await VnicProfilesService.createDefault(tx, network);
    });
    const saved = await this.get(network.id);
    await this.notify.created(this.type, saved, meta, this.related(saved));
    return saved;
  }

  update(id: string, dto: UpdateNetworkDto, meta: RequestMeta): Promise<LogicalNetworkEntity> {
    return this.patch(id, dto, meta);
  }

  // ---- attachment to clusters ----

  async listAttachments(clusterId: string): Promise<ClusterNetworkEntity[]> {
    await this.mustExistPath(clusterId);
    return this.attachments.find({ where: { clusterId }, order: { createdAt: 'ASC', networkId: 'ASC' } });
  }

  async attach(clusterId: string, dto: AttachNetworkDto, meta: RequestMeta): Promise<ClusterNetworkEntity> {
    const cluster = await this.mustExistPath(clusterId);
    const network = await this.mustExist(this.repo, ObjectType.Network, dto.networkId, 'networkId');
    if (network.datacenterId !== cluster.datacenterId) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `network ${network.name} is not in the cluster's datacenter`,
        [
          {
            field: 'networkId',
            reason: 'network belongs to another datacenter',
            ref: refOf(ObjectType.Network, network),
          },
        ],
      );
    }
    const existing = await this.attachments.findOneBy({ clusterId, networkId: network.id });
    if (existing) {
      throw new DomainError(
        ErrorCode.Conflict,
        `network ${network.name} is already attached to cluster ${cluster.name}`,
        [{ field: 'networkId', reason: 'already attached', ref: refOf(ObjectType.Network, network) }],
      );
    }
    await this.attachments.insert({
      clusterId,
      networkId: network.id,
      attachment: dto.attachment ?? NetworkAttachment.Required,
    });
    const saved = await this.attachments.findOneByOrFail({ clusterId, networkId: network.id });
    await this.notify.updated(ObjectType.Cluster, cluster, ['networks'], meta, [
      refOf(ObjectType.Network, network),
    ]);
    return saved;
  }

  async setAttachment(
    clusterId: string,
    networkId: string,
    attachment: NetworkAttachment,
    meta: RequestMeta,
  ): Promise<ClusterNetworkEntity> {
    const cluster = await this.mustExistPath(clusterId);
    const found = await this.attachments.findOneBy({ clusterId, networkId });
    if (!found) throw notFound('cluster_network', `${clusterId}/${networkId}`);
    if (found.attachment !== attachment) {
      await this.attachments.update({ clusterId, networkId }, { attachment });
      await this.notify.updated(ObjectType.Cluster, cluster, ['networks'], meta, [
        { type: ObjectType.Network, id: networkId },
      ]);
    }
    return this.attachments.findOneByOrFail({ clusterId, networkId });
  }

  async detach(clusterId: string, networkId: string, meta: RequestMeta): Promise<void> {
    const cluster = await this.mustExistPath(clusterId);
    const res = await this.attachments.delete({ clusterId, networkId });
    if (!res.affected) throw notFound('cluster_network', `${clusterId}/${networkId}`);
    await this.notify.updated(ObjectType.Cluster, cluster, ['networks'], meta, [
      { type: ObjectType.Network, id: networkId },
    ]);
  }

  private async mustExistPath(clusterId: string): Promise<ClusterEntity> {
    const c = await this.clusters.find(clusterId);
    if (!c) throw notFound(ObjectType.Cluster, clusterId);
    return c;
  }
}
