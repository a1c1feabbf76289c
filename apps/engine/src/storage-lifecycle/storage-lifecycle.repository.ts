import {
  HostStatus,
  PoolState,
  VmStatus,
  StorageDomainHostStatus,
  StorageDomainStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { DiskRepository } from '../disks/disk.repository';
import { VmRepository } from '../vms/vm.repository';
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

/** What the storage lifecycle reads and writes: hosts of a datacenter and domains of a host (asked of
 * their owners), VMs using a domain, and each host's view of each domain. */
@Injectable()
export class StorageLifecycleRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hosts: HostRepository,
    private readonly sds: StorageDomainRepository,
    private readonly disks: DiskRepository,
    private readonly vms: VmRepository,
  ) {}

  /** Hosts of the datacenter (through their clusters) in one of `statuses`, by name. */
  hostsOf(datacenterId: string, statuses: HostStatus[] = SERVING): Promise<HostEntity[]> {
    return this.hosts.inDatacenter(datacenterId, statuses);
  }

  /** The hosts with these ids that still exist, by name (whatever their status). */
  hostsById(ids: string[]): Promise<HostEntity[]> {
    return this.hosts.byIdsByName(ids);
  }

  /** VMs not down with a disk on the domain, by name. */
  async vmsUsing(storageDomainId: string): Promise<{ id: string; name: string; status: string }[]> {
    const vmIds = new Set(
      (await this.disks.onDomain(storageDomainId)).flatMap((d) => (d.vmId ? [d.vmId] : [])),
    );
    const vms = vmIds.size ? await this.vms.byIdsByName([...vmIds]) : [];
    return vms
      .filter((v) => v.status !== VmStatus.Down)
      .map(({ id, name, status }) => ({ id, name, status }));
  }

  /** Active (or degraded) domains of the host's datacenter. */
  async domainsInUseFor(hostId: string): Promise<StorageDomainEntity[]> {
    const facts = await this.hosts.factsOf(hostId);
    if (!facts) return [];
    return (await this.sds.inDatacenter(facts.datacenterId)).filter((sd) => IN_USE.includes(sd.status));
  }

  async record(storageDomainId: string, hostId: string, r: PoolResult): Promise<void> {
    await this.db
      .getRepository(StorageDomainHostEntity)
      .upsert({ storageDomainId, hostId, ...r, checkedAt: new Date() }, ['storageDomainId', 'hostId']);
  }

  async forget(storageDomainId: string): Promise<void> {
    await this.db.getRepository(StorageDomainHostEntity).delete({ storageDomainId });
  }

  /** Each serving host's view of the domain (hosts in maintenance or not responding are left out),
   * by host name. */
  async views(storageDomainId: string, servingOnly = true): Promise<StorageDomainHostView[]> {
    const rows = await this.db.getRepository(StorageDomainHostEntity).findBy({ storageDomainId });
    const hosts = await this.hosts.byIdsByName(rows.map((r) => r.hostId));
    const byHost = new Map(rows.map((r) => [r.hostId, r]));
    return hosts
      .filter((h) => !servingOnly || SERVING.includes(h.status))
      .map((h) => {
        const r = byHost.get(h.id)!;
        return {
          storageDomainId: r.storageDomainId,
          hostId: r.hostId,
          hostName: h.name,
          status: r.status,
          capacityBytes: r.capacityBytes,
          availableBytes: r.availableBytes,
          error: r.error,
          checkedAt: r.checkedAt,
        };
      });
  }

  /** The in-use domains of the host's datacenter whose pool fails on this host, by domain name. */
  async failuresOf(hostId: string): Promise<{ domainName: string; error: string | null }[]> {
    const failed = await this.db.getRepository(StorageDomainHostEntity).findBy({ hostId, status: 'failed' });
    const sds = failed.length ? await this.sds.byIds(failed.map((r) => r.storageDomainId)) : [];
    const byDomain = new Map(failed.map((r) => [r.storageDomainId, r]));
    return sds
      .filter((sd) => IN_USE.includes(sd.status))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((sd) => ({ domainName: sd.name, error: byDomain.get(sd.id)!.error }));
  }
}
