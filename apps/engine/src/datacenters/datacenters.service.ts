import { ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { EventsService } from '../events/events.service';
import { ClusterRows, NetworkRows, StorageDomainRows } from '../crud/child-rows.port';
import { ChildKind, InventoryService } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateDataCenterDto, UpdateDataCenterDto } from './datacenter.dto';
import { DataCenterEntity } from './datacenter.entity';

@Injectable()
export class DataCentersService extends InventoryService<DataCenterEntity> {
  protected readonly type = ObjectType.DataCenter;
  protected readonly alias = 'dc';
  protected readonly listSpec: ListSpec = {
    sortable: { name: 'dc.name', createdAt: 'dc.createdAt', updatedAt: 'dc.updatedAt' },
    defaultSort: 'name',
    search: 'dc.name',
  };
  protected override readonly children: ChildKind[] = [
    { type: ObjectType.Cluster, rows: ClusterRows, field: 'datacenterId', label: 'clusters' },
    {
      type: ObjectType.StorageDomain,
      rows: StorageDomainRows,
      field: 'datacenterId',
      label: 'storage domains',
    },
    { type: ObjectType.Network, rows: NetworkRows, field: 'datacenterId', label: 'networks' },
  ];

  constructor(
    @InjectRepository(DataCenterEntity) repo: Repository<DataCenterEntity>,
    events: EventsService,
    stream: StreamService,
    owners: ModuleRef,
  ) {
    super(repo, events, stream, owners);
  }

  create(dto: CreateDataCenterDto, meta: RequestMeta): Promise<DataCenterEntity> {
    return this.insert(
      this.repo.create({ id: randomUUID(), name: dto.name, description: dto.description ?? '' }),
      meta,
    );
  }

  update(id: string, dto: UpdateDataCenterDto, meta: RequestMeta): Promise<DataCenterEntity> {
    return this.patch(id, dto, meta);
  }
}
