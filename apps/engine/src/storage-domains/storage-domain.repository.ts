import { StorageDomainType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { StorageDomainEntity } from './storage-domain.entity';
import { StorageDomainRows, rowsReferringTo } from '../crud/child-rows.port';
import { linkOfRow, visibleRows, type AccessLink, type StorageDomainAccess } from '../auth/access-tree.port';

/** The storage domain table as other features read it (the scheduler, provisioning). */
@Injectable()
export class StorageDomainRepository implements StorageDomainRows, StorageDomainAccess {
  constructor(@InjectRepository(StorageDomainEntity) private readonly sds: Repository<StorageDomainEntity>) {}

  /** The domain and its datacenter (StorageDomainAccess). */
  accessLink(id: string): Promise<AccessLink | null> {
    return linkOfRow(this.sds, id, 'storage_domain', [['datacenter', 'datacenterId']]);
  }

  /** Ids of its rows in `ids` or under datacenters (AccessTreeNode: `view` grants pushed down). */
  visibleUnder(ids: string[], under: { cluster: string[]; datacenter: string[] }): Promise<Set<string>> {
    return visibleRows(this.sds, ids, [['datacenterId', under.datacenter]]);
  }

  /** The domain, or TypeORM's not-found error (callers hold a row that references it). */
  find(id: string): Promise<StorageDomainEntity | null> {
    return this.sds.findOneBy({ id });
  }

  byId(id: string): Promise<StorageDomainEntity> {
    return this.sds.findOneByOrFail({ id });
  }

  byIds(ids: Iterable<string>): Promise<StorageDomainEntity[]> {
    return this.sds.findBy({ id: In([...new Set(ids)]) });
  }

  /** The datacenter's domains. */
  inDatacenter(datacenterId: string): Promise<StorageDomainEntity[]> {
    return this.sds.findBy({ datacenterId });
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  readonly referringTo = rowsReferringTo(StorageDomainEntity);

  /** The datacenter's `dir` domains (a directory every host of it mounts by itself), oldest first,
   * whatever their status (the first host is enrolled before any domain can be activated): where
   * its hosts' libvirt keeps the disk lease files (enrollment). */
  sharedDirectoryDomains(datacenterId: string): Promise<StorageDomainEntity[]> {
    return this.sds.find({
      where: { datacenterId, type: StorageDomainType.Dir },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }
}
