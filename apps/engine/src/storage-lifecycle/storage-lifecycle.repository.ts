import { HostStatus, PoolState, StorageDomainHostStatus, StorageDomainStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { withHint } from './pool-error-hints';
import { StorageDomainHostEntity } from './storage-domain-host.entity';

/** Hosts that take part in a datacenter's storage: they run (or may run) its VMs. */
export const SERVING: HostStatus[] = [HostStatus.Up, HostStatus.NonOperational];
const IN_USE: StorageDomainStatus[] = [StorageDomainStatus.Active, StorageDomainStatus.Degraded];

/** A host's view of a domain's pool, with the host's name. */
export type StorageDomainHostView = Omit<StorageDomainHostStatus, 'checkedAt'> & { checkedAt: Date };

export type PoolResult = Pick<
  StorageDomainHostEntity,
  'status' | 'capacityBytes' | 'availableBytes' | 'error'
>;

export const toPoolResult = (s: PoolState): PoolResult => ({
  status: s.active ? 'active' : 'failed',
  capacityBytes: s.capacityBytes,
  availableBytes: s.availableBytes,
  error: s.error ? withHint(s.error) : null,
});

/** What the storage lifecycle reads and writes: hosts of a datacenter, VMs using a domain, and each
 * host's view of each domain. */
@Injectable()
export class StorageLifecycleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Hosts of the datacenter (through their clusters) in one of `statuses`, by name. */
  hostsOf(datacenterId: string, statuses: HostStatus[] = SERVING): Promise<HostEntity[]> {
    return this.db
      .getRepository(HostEntity)
      .createQueryBuilder('h')
      .innerJoin('cluster', 'c', 'c.id = h.cluster_id')
      .where('c.datacenter_id = :datacenterId', { datacenterId })
      .andWhere('h.status IN (:...statuses)', { statuses })
      .orderBy('h.name')
      .getMany();
  }

  /** The hosts with these ids that still exist, by name (whatever their status). */
  hostsById(ids: string[]): Promise<HostEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.getRepository(HostEntity).find({ where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  /** VMs not down with a disk on the domain. */
  vmsUsing(storageDomainId: string): Promise<{ id: string; name: string; status: string }[]> {
    return this.db.query(
      `SELECT DISTINCT v.id::text, v.name, v.status FROM vm v JOIN disk d ON d.vm_id = v.id
        WHERE d.storage_domain_id = $1 AND v.status <> 'down' ORDER BY v.name`,
      [storageDomainId],
    );
  }

  /** Active (or degraded) domains of the host's datacenter. */
  domainsInUseFor(hostId: string): Promise<StorageDomainEntity[]> {
    return this.db
      .getRepository(StorageDomainEntity)
      .createQueryBuilder('sd')
      .innerJoin('cluster', 'c', 'c.datacenter_id = sd.datacenter_id')
      .innerJoin('host', 'h', 'h.cluster_id = c.id')
      .where('h.id = :hostId', { hostId })
      .andWhere('sd.status IN (:...statuses)', { statuses: IN_USE })
      .getMany();
  }

  async record(storageDomainId: string, hostId: string, r: PoolResult): Promise<void> {
    await this.db
      .getRepository(StorageDomainHostEntity)
      .upsert({ storageDomainId, hostId, ...r, checkedAt: new Date() }, ['storageDomainId', 'hostId']);
  }

  async forget(storageDomainId: string): Promise<void> {
    await this.db.getRepository(StorageDomainHostEntity).delete({ storageDomainId });
  }

  /** Each serving host's view of the domain (hosts in maintenance or not responding are left out). */
  views(storageDomainId: string, servingOnly = true): Promise<StorageDomainHostView[]> {
    return this.db.query(
      `SELECT r.storage_domain_id AS "storageDomainId", r.host_id AS "hostId", h.name AS "hostName",
              r.status, r.capacity_bytes::float8 AS "capacityBytes", r.available_bytes::float8 AS "availableBytes",
              r.error, r.checked_at AS "checkedAt"
         FROM storage_domain_host r JOIN host h ON h.id = r.host_id
        WHERE r.storage_domain_id = $1 ${servingOnly ? 'AND h.status = ANY($2)' : ''}
        ORDER BY h.name`,
      servingOnly ? [storageDomainId, SERVING] : [storageDomainId],
    );
  }

  /** The in-use domains of the host's datacenter whose pool fails on this host. */
  failuresOf(hostId: string): Promise<{ domainName: string; error: string | null }[]> {
    return this.db.query(
      `SELECT sd.name AS "domainName", r.error FROM storage_domain_host r
         JOIN storage_domain sd ON sd.id = r.storage_domain_id
        WHERE r.host_id = $1 AND r.status = 'failed' AND sd.status = ANY($2) ORDER BY sd.name`,
      [hostId, IN_USE],
    );
  }
}
