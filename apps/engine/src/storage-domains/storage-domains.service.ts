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
import { invalidState, validationFailed } from '../common/errors/domain-error';
import { iscsiLocation, iscsiProblems } from './iscsi-connection';
import { StorageSecrets } from './storage-secrets';
import { statusPhrase } from '@kelpie/shared-types';
import { mayStart } from './storage-health';
import { SYSTEM_META } from '../common/http/request-meta';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { defined } from '../clusters/clusters.service';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { EventsService } from '../events/events.service';
import { ChildKind, InventoryService, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateStorageDomainDto, UpdateStorageDomainDto } from './storage-domain.dto';
import { StorageDomainEntity } from './storage-domain.entity';

const REQUIRED: Record<StorageDomainType, (keyof StorageConnection)[]> = {
  dir: [],
  local: [],
  nfs: ['server', 'export'],
  iscsi: ['portal', 'target'],
  rbd: ['monitors', 'pool'],
  lvm: ['volumeGroup'],
};

/** 400 with every missing or inconsistent field of a `type` domain's connection (and path). */
export function checkConnection(type: StorageDomainType, c: StorageConnection, path?: string): void {
  const details: ApiErrorDetail[] = REQUIRED[type]
    .filter((k) => c[k] === undefined)
    .map((k) => ({ field: `connection.${k}`, reason: `required for a ${type} storage domain` }));
  if (type === StorageDomainType.Iscsi) details.push(...iscsiProblems(c, path !== undefined));
  else if (path === undefined)
    details.push({ field: 'path', reason: `required for a ${type} storage domain` });
  else if (c.chapUser !== undefined || c.chapSecret !== undefined)
    details.push({ field: 'connection.chapUser', reason: 'CHAP is for iscsi storage domains only' });
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
    { type: ObjectType.Disk, entity: 'DiskEntity', field: 'storageDomainId', label: 'disks' },
  ];

  constructor(
    @InjectRepository(StorageDomainEntity) repo: Repository<StorageDomainEntity>,
    @InjectRepository(DataCenterEntity) private readonly datacenters: Repository<DataCenterEntity>,
    private readonly secrets: StorageSecrets,
    events: EventsService,
    stream: StreamService,
  ) {
    super(repo, events, stream);
  }

  protected override related(sd: StorageDomainEntity): ObjectRef[] {
    return [{ type: ObjectType.DataCenter, id: sd.datacenterId }];
  }

  async create(dto: CreateStorageDomainDto, meta: RequestMeta): Promise<StorageDomainEntity> {
    const { chapSecret, ...connection } = defined(dto.connection) as StorageConnection;
    checkConnection(dto.type, { ...connection, chapSecret }, dto.path);
    await this.mustExist(this.datacenters, ObjectType.DataCenter, dto.datacenterId, 'datacenterId');
    const id = randomUUID();
    // Sealed before the domain exists: a domain with CHAP is never visible without its secret.
    const stored = this.insert(
      this.repo.create({
        id,
        name: dto.name,
        description: dto.description ?? '',
        datacenterId: dto.datacenterId,
        type: dto.type,
        path: dto.type === StorageDomainType.Iscsi ? iscsiLocation(connection) : dto.path!,
        connection,
        // Attached to no datacenter's hosts yet: `attach`, then `activate` makes the pools.
        status: StorageDomainStatus.Detached,
        statusReason: null,
      }),
      meta,
    );
    const sd = await stored;
    if (chapSecret !== undefined) await this.secrets.store(id, chapSecret);
    return sd;
  }

  async update(id: string, dto: UpdateStorageDomainDto, meta: RequestMeta): Promise<StorageDomainEntity> {
    const current = await this.get(id);
    const { connection, ...rest } = dto;
    if (
      (connection || (dto.path !== undefined && dto.path !== current.path)) &&
      !mayStart('editLocation', current.status)
    ) {
      throw invalidState(
        `storage domain ${current.name} is ${statusPhrase(current.status)}: its path and connection change only while it is inactive (put it in maintenance first)`,
        [
          {
            field: connection ? 'connection' : 'path',
            reason: `domain is ${current.status}`,
            ref: refOf(ObjectType.StorageDomain, current),
          },
        ],
      );
    }
    let merged: StorageConnection | undefined;
    let chapSecret: string | undefined;
    const iscsi = current.type === StorageDomainType.Iscsi;
    if (connection || (iscsi && dto.path !== undefined)) {
      const { chapSecret: given, ...fields } = defined(connection ?? {}) as StorageConnection;
      chapSecret = given;
      merged = { ...current.connection, ...fields };
      // The secret stays as it was unless a new one is given: only its presence is checked (a CHAP
      // user added to a domain that has no stored secret needs one in the same request).
      const stored =
        chapSecret === undefined && merged.chapUser !== undefined && (await this.secrets.has(id));
      const secretKnown = chapSecret ?? (stored ? 'stored' : undefined);
      checkConnection(current.type, { ...merged, chapSecret: secretKnown }, iscsi ? dto.path : current.path);
    }
    const location = iscsi && merged ? { path: iscsiLocation(merged) } : {};
    const updated = await this.patch(
      id,
      { ...rest, ...(merged ? { connection: merged } : {}), ...location },
      meta,
      current,
    );
    if (chapSecret !== undefined) await this.secrets.store(id, chapSecret);
    return updated;
  }

  /** For the storage lifecycle: the status (derived or after an action) and why, announced like any change. */
  setStatus(
    id: string,
    status: StorageDomainStatus,
    statusReason: string | null,
    meta: RequestMeta = SYSTEM_META,
  ): Promise<StorageDomainEntity> {
    return this.patch(id, { status, statusReason }, meta);
  }

  protected override async beforeRemove(sd: StorageDomainEntity): Promise<void> {
    if (!mayStart('delete', sd.status)) {
      throw invalidState(
        `storage domain ${sd.name} is ${statusPhrase(sd.status)}: put it in maintenance before deleting it`,
        [{ reason: `domain is ${sd.status}`, ref: refOf(ObjectType.StorageDomain, sd) }],
      );
    }
  }
}
