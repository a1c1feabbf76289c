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
import { hasNoPath } from './domain-kinds';
import { iscsiLocation, iscsiProblems } from './iscsi-connection';
import { rbdLocation, rbdProblems } from './rbd-connection';
import { StorageSecrets } from './storage-secrets';
import { statusPhrase } from '@kelpie/shared-types';
import { mayStart } from './storage-health';
import { SYSTEM_META } from '../common/http/request-meta';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { defined } from '../clusters/clusters.service';
import { DiskRows } from '../crud/child-rows.port';
import { DataCenterRepository } from '../datacenters/datacenter.repository';
import { EventsService } from '../events/events.service';
import { ChildKind, InventoryService, refOf } from '../crud/inventory.service';
import { ModuleRef } from '@nestjs/core';
import { StreamService } from '../stream/stream.service';
import { CreateStorageDomainDto, UpdateStorageDomainDto } from './storage-domain.dto';
import { StorageDomainEntity } from './storage-domain.entity';

const REQUIRED: Record<StorageDomainType, (keyof StorageConnection)[]> = {
  dir: [],
  local: [],
  nfs: ['server', 'export'],
  iscsi: ['portal', 'target'],
  rbd: ['monitors', 'pool', 'user', 'key'],
  lvm: ['volumeGroup'],
};

/** 400 with every missing or inconsistent field of a `type` domain's connection (and path). */
export function checkConnection(type: StorageDomainType, c: StorageConnection, path?: string): void {
  const details: ApiErrorDetail[] = REQUIRED[type]
    .filter((k) => c[k] === undefined)
    .map((k) => ({ field: `connection.${k}`, reason: `required for a ${type} storage domain` }));
  if (type === StorageDomainType.Iscsi) details.push(...iscsiProblems(c, path !== undefined));
  else if (type === StorageDomainType.Rbd) details.push(...rbdProblems(c, path !== undefined));
  else if (path === undefined)
    details.push({ field: 'path', reason: `required for a ${type} storage domain` });
  else if (c.chapUser !== undefined || c.chapSecret !== undefined)
    details.push({ field: 'connection.chapUser', reason: 'CHAP is for iscsi storage domains only' });
  if (type !== StorageDomainType.Rbd && (c.user !== undefined || c.key !== undefined))
    details.push({ field: 'connection.user', reason: 'a cephx user is for rbd storage domains only' });
  if (details.length) throw validationFailed(`incomplete ${type} connection`, details);
}

/** The recorded location of a domain whose volumes are no files: its connection's address. */
function locationOf(type: StorageDomainType, c: StorageConnection, path?: string): string {
  if (type === StorageDomainType.Iscsi) return iscsiLocation(c);
  if (type === StorageDomainType.Rbd) return rbdLocation(c);
  return path!;
}

/** The write-only secret of a connection (CHAP secret or cephx key) and the rest, stored in clear. */
function splitSecret(c: StorageConnection): { secret?: string; fields: StorageConnection } {
  const { chapSecret, key, ...fields } = c;
  return { secret: chapSecret ?? key, fields };
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
    { type: ObjectType.Disk, rows: DiskRows, field: 'storageDomainId', label: 'disks' },
  ];

  constructor(
    @InjectRepository(StorageDomainEntity) repo: Repository<StorageDomainEntity>,
    private readonly datacenters: DataCenterRepository,
    private readonly secrets: StorageSecrets,
    events: EventsService,
    stream: StreamService,
    moduleRef: ModuleRef,
  ) {
    super(repo, events, stream, moduleRef);
  }

  protected override related(sd: StorageDomainEntity): ObjectRef[] {
    return [{ type: ObjectType.DataCenter, id: sd.datacenterId }];
  }

  async create(dto: CreateStorageDomainDto, meta: RequestMeta): Promise<StorageDomainEntity> {
    const given = defined(dto.connection) as StorageConnection;
    const { secret, fields: connection } = splitSecret(given);
    checkConnection(dto.type, given, dto.path);
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
        path: locationOf(dto.type, connection, dto.path),
        connection,
        // Attached to no datacenter's hosts yet: `attach`, then `activate` makes the pools.
        status: StorageDomainStatus.Detached,
        statusReason: null,
      }),
      meta,
    );
    const sd = await stored;
    if (secret !== undefined) await this.secrets.store(id, secret);
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
    let secret: string | undefined;
    const noPath = hasNoPath(current.type);
    if (connection || (noPath && dto.path !== undefined)) {
      const given = defined(connection ?? {}) as StorageConnection;
      const split = splitSecret(given);
      secret = split.secret;
      merged = { ...current.connection, ...split.fields };
      // The secret stays as it was unless a new one is given: only its presence is checked (a CHAP
      // user added to a domain that has no stored secret needs one in the same request).
      const needsOne = merged.chapUser !== undefined || current.type === StorageDomainType.Rbd;
      const stored = secret === undefined && needsOne && (await this.secrets.has(id));
      const known = secret ?? (stored ? 'stored' : undefined);
      const withSecret =
        current.type === StorageDomainType.Rbd ? { ...merged, key: known } : { ...merged, chapSecret: known };
      checkConnection(current.type, withSecret, noPath ? dto.path : current.path);
    }
    const location = noPath && merged ? { path: locationOf(current.type, merged) } : {};
    const updated = await this.patch(
      id,
      { ...rest, ...(merged ? { connection: merged } : {}), ...location },
      meta,
      current,
    );
    if (secret !== undefined) await this.secrets.store(id, secret);
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
