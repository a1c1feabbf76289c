import { isFileDomain } from '../storage-domains/domain-kinds';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterRepository } from '../clusters/cluster.repository';
import { DiskRepository } from '../disks/disk.repository';
import type { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { HostNetworkStateRepository } from '../host-network-state/host-network-state.repository';
import { NetworkRepository } from '../networks/network.repository';
import type { NicEntity } from '../nics/nic.entity';
import { NicRepository } from '../nics/nic.repository';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import type { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { AffinityGroupEntity, AffinityGroupHostEntity, AffinityGroupVmEntity } from './affinity-group.entity';
import type { SchedRule } from './scheduling.model';
import type { VmNetworkNeed } from './network-filter';

/** What is defined on a host: memory, count and ids of its VMs (every status). */
export interface HostLoad {
  committedMib: number;
  vmIds: string[];
}

/** The scheduler's reads: hosts, what is placed on them, affinity groups, a VM's storage and networks.
 * Only the affinity tables are the scheduler's own; the rest is asked of the features that own it. */
@Injectable()
export class SchedulingRepository {
  constructor(
    @InjectRepository(AffinityGroupEntity) private readonly groups: Repository<AffinityGroupEntity>,
    @InjectRepository(AffinityGroupVmEntity) private readonly members: Repository<AffinityGroupVmEntity>,
    @InjectRepository(AffinityGroupHostEntity)
    private readonly groupHosts: Repository<AffinityGroupHostEntity>,
    private readonly hosts: HostRepository,
    private readonly vms: VmRepository,
    private readonly clusters: ClusterRepository,
    private readonly disks: DiskRepository,
    private readonly nics: NicRepository,
    private readonly sds: StorageDomainRepository,
    private readonly networks: NetworkRepository,
    private readonly netStates: HostNetworkStateRepository,
  ) {}

  vm(id: string): Promise<VmEntity | null> {
    return this.vms.byId(id);
  }

  cluster(id: string): Promise<ClusterEntity> {
    return this.clusters.byId(id);
  }

  hostsOf(clusterId: string, onlyHostId?: string | null): Promise<HostEntity[]> {
    return this.hosts.inCluster(clusterId, onlyHostId);
  }

  /** The cluster's running VMs with their host (what balancing may live-migrate). */
  runningVmsOf(clusterId: string): Promise<VmEntity[]> {
    return this.vms.runningIn(clusterId);
  }

  /** Clusters whose periodic balancing is on. */
  balancedClusterIds(): Promise<string[]> {
    return this.clusters.balancedIds();
  }

  /** The VM being placed is left out: its own memory must not count against its current host. */
  async loadOf(hostIds: string[], exceptVmId?: string): Promise<Map<string, HostLoad>> {
    const out = new Map<string, HostLoad>(hostIds.map((id) => [id, { committedMib: 0, vmIds: [] }]));
    if (!hostIds.length) return out;
    const placed = await this.vms.placedOn(hostIds, exceptVmId);
    for (const v of placed) {
      const load = out.get(v.hostId!)!;
      load.committedMib += v.memoryMib;
      load.vmIds.push(v.id);
    }
    return out;
  }

  /** The groups the VM belongs to, each with its other members' names. */
  async rulesFor(vmId: string): Promise<SchedRule[]> {
    const mine = await this.members.findBy({ vmId });
    if (!mine.length) return [];
    return this.rulesOf(await this.groups.findBy({ id: In(mine.map((m) => m.groupId)) }), vmId);
  }

  /** The groups of `ids` that exist, with their cluster. */
  groupsByIds(ids: string[]): Promise<AffinityGroupEntity[]> {
    return ids.length ? this.groups.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /** Makes a new VM a member of the groups (the create checked them). */
  async join(vmId: string, groupIds: string[]): Promise<void> {
    if (groupIds.length) await this.members.insert(groupIds.map((groupId) => ({ groupId, vmId })));
  }

  /** The groups as rules for `vmId` (every other member counts; a VM not yet recorded has none). */
  async rulesOf(groups: AffinityGroupEntity[], vmId?: string): Promise<SchedRule[]> {
    const [all, pinned] = await Promise.all([
      this.members.findBy({ groupId: In(groups.map((g) => g.id)) }),
      this.groupHosts.findBy({ groupId: In(groups.map((g) => g.id)) }),
    ]);
    const hostNames = await this.hosts.namesOf(pinned.map((p) => p.hostId));
    const others = all.filter((m) => m.vmId !== vmId);
    const names = await this.vms.namesOf(others.map((m) => m.vmId));
    return groups
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => ({
        id: g.id,
        name: g.name,
        polarity: g.polarity,
        enforcing: g.enforcing,
        others: new Map(
          others.filter((m) => m.groupId === g.id).map((m) => [m.vmId, names.get(m.vmId) ?? m.vmId]),
        ),
        hosts: new Map(
          pinned
            .filter((p) => p.groupId === g.id)
            .map((p): [string, string] => [p.hostId, hostNames.get(p.hostId) ?? p.hostId])
            .sort((a, b) => a[1].localeCompare(b[1])),
        ),
      }));
  }

  /** The logical networks of the VM's NICs (none for a VM not recorded yet). */
  async networksOf(vmId: string): Promise<VmNetworkNeed[]> {
    return this.networksOfNics(await this.nics.ofVm(vmId));
  }

  private async networksOfNics(nics: NicEntity[]): Promise<VmNetworkNeed[]> {
    if (!nics.length) return [];
    const nets = await this.networks.byIds(nics.map((n) => n.networkId));
    return nets
      .map((n) => ({ id: n.id, name: n.name, bridge: n.bridge }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The bridges each host's agent last reported (a host that never reported is absent). */
  async bridgesOf(hostIds: string[]): Promise<Map<string, Set<string>>> {
    if (!hostIds.length) return new Map();
    const rows = await this.netStates.ofHosts(hostIds);
    return new Map(rows.map((r) => [r.hostId, new Set(r.state.bridges.map((b) => b.name))]));
  }

  /** Directories and bridges a host must have to run the VM (its disks' domains, its CD-ROM, its NICs),
   * with the networks behind those bridges (the scheduler's network filter takes them as they are). */
  async needsOf(vm: VmEntity): Promise<{ paths: string[]; bridges: string[]; networks: VmNetworkNeed[] }> {
    const [disks, nics] = await Promise.all([this.disks.ofVm(vm.id), this.nics.ofVm(vm.id)]);
    const [sds, networks] = await Promise.all([
      disks.length ? this.sds.byIds(disks.map((d) => d.storageDomainId)) : [],
      this.networksOfNics(nics),
    ]);
    const iso = vm.cdromIsoPath ? [vm.cdromIsoPath.slice(0, vm.cdromIsoPath.lastIndexOf('/')) || '/'] : [];
    return {
      // RBD images and LUNs are reached over the network: no directory to find on the host.
      paths: [...sds.filter(isFileDomain).map((s) => s.path), ...iso],
      bridges: networks.map((n) => n.bridge),
      networks,
    };
  }
}
