import { HostStatus, StorageDomainType, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ClusterRepository } from '../clusters/cluster.repository';
import { DiskRepository } from '../disks/disk.repository';
import { HostRepository } from '../hosts/host.repository';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { VmRepository } from '../vms/vm.repository';

const LISTED: StorageDomainType[] = [StorageDomainType.Dir, StorageDomainType.Local, StorageDomainType.Nfs];

export interface GcHostRow {
  id: string;
  name: string;
  datacenter_id: string;
}
export interface GcVmRow {
  id: string;
  name: string;
  host_id: string | null;
  host_name: string | null;
  status: VmStatus;
}
export interface GcStorageRow {
  id: string;
  path: string;
}

/** What the garbage collector reads: the hosts it lists, their storage, and which of the listed disks
 * and domains Kelpie still knows, each asked of the feature that owns the rows. */
@Injectable()
export class GcRepository {
  constructor(
    private readonly hosts: HostRepository,
    private readonly clusters: ClusterRepository,
    private readonly sds: StorageDomainRepository,
    private readonly disks: DiskRepository,
    private readonly vms: VmRepository,
  ) {}

  /** Up hosts with their datacenter, by name. */
  async upHosts(): Promise<GcHostRow[]> {
    const hosts = (await this.hosts.withStatus(HostStatus.Up)).sort((a, b) => a.name.localeCompare(b.name));
    const dcs = await this.clusters.datacentersOf(hosts.map((h) => h.clusterId));
    return hosts.flatMap((h) => {
      const datacenter_id = dcs.get(h.clusterId);
      return datacenter_id === undefined ? [] : [{ id: h.id, name: h.name, datacenter_id }];
    });
  }

  async storageDomainsOf(datacenterId: string): Promise<GcStorageRow[]> {
    // Only directories are listed: LUNs and RBD images are no files under a path.
    return (await this.sds.inDatacenter(datacenterId))
      .filter((sd) => LISTED.includes(sd.type))
      .map(({ id, path }) => ({ id, path }));
  }

  /** Disks whose id or volume path is among those listed. */
  knownDisks(
    ids: string[],
    paths: string[],
  ): Promise<{ id: string; volume_path: string | null; active_image_path: string | null }[]> {
    return this.disks.idsOrPathsAmong(ids, paths);
  }

  /** Host names by id (hosts that are gone are left out). */
  hostNames(ids: string[]): Promise<Map<string, string>> {
    return this.hosts.namesOf(ids);
  }

  /** VMs among the listed domain uuids, with the host each is on (if any) and its status. */
  async knownVms(ids: string[]): Promise<GcVmRow[]> {
    const vms = ids.length ? await this.vms.byIds(ids) : [];
    const hostNames = await this.hosts.namesOf(vms.flatMap((v) => (v.hostId ? [v.hostId] : [])));
    return vms.map((v) => ({
      id: v.id,
      name: v.name,
      host_id: v.hostId,
      host_name: (v.hostId && hostNames.get(v.hostId)) || null,
      status: v.status,
    }));
  }
}
