import {
  ApiErrorDetail,
  ObjectRef,
  ObjectType,
  StorageConnection,
  StorageDomainStatus,
  StorageDomainType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { defined } from '../clusters/clusters.service';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { EventsService } from '../events/events.service';
import { ChildKind, InventoryService } from '../inventory/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateStorageDomainDto, UpdateStorageDomainDto } from './storage-domain.dto';
import { StorageDomainEntity } from './storage-domain.entity';

const REQUIRED: Record<StorageDomainType, (keyof StorageConnection)[]> = {
  dir: [],
  nfs: ['server', 'export'],
  iscsi: ['portal', 'target'],
  rbd: ['monitors', 'pool'],
  lvm: ['volumeGroup'],
};

export function checkConnection(type: StorageDomainType, c: StorageConnection): void {
  const details: ApiErrorDetail[] = REQUIRED[type]
    .filter((k) => c[k] === undefined)
    .map((k) => ({ field: `connection.${k}`, reason: `required for a ${type} storage domain` }));
  if (details.length) throw validationFailed(`incomplete ${type} connection`, details);
}

@Injectable()
export class StorageDomainsService extends InventoryService<StorageDomainEntity> {
  protected readonly type = ObjectType.StorageDomain;
  protected readonly alias = 'sd';
  protected readonly listSpec: ListSpec = {
    sortable: {
      name: 'sd.name',
      type: 'sd.type',
      status: 'sd.status',
      createdAt: 'sd.createdAt',
      updatedAt: 'sd.updatedAt',
    },
    defaultSort: 'name',
    search: 'sd.name',
    filters: { datacenterId: 'sd.datacenterId', type: 'sd.type', status: 'sd.status' },
  };
  protected override readonly children: ChildKind[] = [
    { type: ObjectType.Disk, table: 'disk', column: 'storage_domain_id', label: 'disks' },
  ];

  constructor(
    @InjectRepository(StorageDomainEntity) repo: Repository<StorageDomainEntity>,
    @InjectRepository(DataCenterEntity) private readonly datacenters: Repository<DataCenterEntity>,
    events: EventsService,
    stream: StreamService,
  ) {
    super(repo, events, stream);
  }

  protected override related(sd: StorageDomainEntity): ObjectRef[] {
    return [{ type: ObjectType.DataCenter, id: sd.datacenterId }];
  }

  async create(dto: CreateStorageDomainDto, meta: RequestMeta): Promise<StorageDomainEntity> {
    const connection = defined(dto.connection) as StorageConnection;
    checkConnection(dto.type, connection);
    await this.mustExist(this.datacenters, ObjectType.DataCenter, dto.datacenterId, 'datacenterId');
    return this.insert(
      this.repo.create({
        id: randomUUID(),
        name: dto.name,
        description: dto.description ?? '',
        datacenterId: dto.datacenterId,
        type: dto.type,
        path: dto.path,
        connection,
        status: StorageDomainStatus.Unknown,
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateStorageDomainDto, meta: RequestMeta): Promise<StorageDomainEntity> {
    const current = await this.get(id);
    const { connection, ...rest } = dto;
    let merged: StorageConnection | undefined;
    if (connection) {
      merged = { ...current.connection, ...(defined(connection) as StorageConnection) };
      checkConnection(current.type, merged);
    }
    return this.patch(id, { ...rest, ...(merged ? { connection: merged } : {}) }, meta, current);
  }
}
