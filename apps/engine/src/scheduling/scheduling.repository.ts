import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DiskEntity } from '../disks/disk.entity';
import { HostEntity } from '../hosts/host.entity';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmEntity } from '../vms/vm.entity';
import { AffinityGroupEntity, AffinityGroupVmEntity } from './affinity-group.entity';
import type { SchedRule } from './scheduling.model';
import type { VmNetworkNeed } from './network-filter';
import { HostNetworkStateEntity } from '../host-network-state/host-network-state.entity';

/** What is defined on a host: memory, count and ids of its VMs (every status). */
export interface HostLoad {
  committedMib: number;
  vmIds: string[];
}

/** The scheduler's reads: hosts, what is placed on them, affinity groups, a VM's storage and networks. */
@Injectable()
export class SchedulingRepository {
  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>,
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    @InjectRepository(AffinityGroupEntity) private readonly groups: Repository<AffinityGroupEntity>,
    @InjectRepository(AffinityGroupVmEntity) private readonly members: Repository<AffinityGroupVmEntity>,
    @InjectRepository(DiskEntity) private readonly disks: Repository<DiskEntity>,
    @InjectRepository(NicEntity) private readonly nics: Repository<NicEntity>,
    @InjectRepository(StorageDomainEntity) private readonly sds: Repository<StorageDomainEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly networks: Repository<LogicalNetworkEntity>,
    @InjectRepository(HostNetworkStateEntity) private readonly netStates: Repository<HostNetworkStateEntity>,
  ) {}

  vm(id: string): Promise<VmEntity | null> {
    return this.vms.findOneBy({ id });
  }

  cluster(id: string): Promise<ClusterEntity> {
    return this.clusters.findOneByOrFail({ id });
  }

  hostsOf(clusterId: string, onlyHostId?: string | null): Promise<HostEntity[]> {
    return this.hosts.find({
      where: onlyHostId ? { id: onlyHostId, clusterId } : { clusterId },
      order: { name: 'ASC' },
    });
  }

  /** The VM being placed is left out: its own memory must not count against its current host. */
  async loadOf(hostIds: string[], exceptVmId?: string): Promise<Map<string, HostLoad>> {
    const out = new Map<string, HostLoad>(hostIds.map((id) => [id, { committedMib: 0, vmIds: [] }]));
    if (!hostIds.length) return out;
    const placed = await this.vms.find({
      where: { hostId: In(hostIds), ...(exceptVmId ? { id: Not(exceptVmId) } : {}) },
      select: { id: true, hostId: true, memoryMib: true },
    });
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
    const groups = await this.groups.findBy({ id: In(mine.map((m) => m.groupId)) });
    const all = await this.members.findBy({ groupId: In(groups.map((g) => g.id)) });
    const others = all.filter((m) => m.vmId !== vmId);
    const names = new Map(
      (others.length
        ? await this.vms.find({
            where: { id: In(others.map((m) => m.vmId)) },
            select: { id: true, name: true },
          })
        : []
      ).map((v) => [v.id, v.name]),
    );
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
      }));
  }

  /** The logical networks of the VM's NICs (none for a VM not recorded yet). */
  async networksOf(vmId: string): Promise<VmNetworkNeed[]> {
    return this.networksOfNics(await this.nics.findBy({ vmId }));
  }

  private async networksOfNics(nics: NicEntity[]): Promise<VmNetworkNeed[]> {
    if (!nics.length) return [];
    const nets = await this.networks.findBy({ id: In([...new Set(nics.map((n) => n.networkId))]) });
    return nets
      .map((n) => ({ id: n.id, name: n.name, bridge: n.bridge }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The bridges each host's agent last reported (a host that never reported is absent). */
  async bridgesOf(hostIds: string[]): Promise<Map<string, Set<string>>> {
    if (!hostIds.length) return new Map();
    const rows = await this.netStates.findBy({ hostId: In(hostIds) });
    return new Map(rows.map((r) => [r.hostId, new Set(r.state.bridges.map((b) => b.name))]));
  }

  /** Directories and bridges a host must have to run the VM (its disks' domains, its CD-ROM, its NICs),
   * with the networks behind those bridges (the scheduler's network filter takes them as they are). */
  async needsOf(vm: VmEntity): Promise<{ paths: string[]; bridges: string[]; networks: VmNetworkNeed[] }> {
    const [disks, nics] = await Promise.all([
      this.disks.findBy({ vmId: vm.id }),
      this.nics.findBy({ vmId: vm.id }),
    ]);
    const [sds, networks] = await Promise.all([
      disks.length ? this.sds.findBy({ id: In([...new Set(disks.map((d) => d.storageDomainId))]) }) : [],
      this.networksOfNics(nics),
    ]);
    const iso = vm.cdromIsoPath ? [vm.cdromIsoPath.slice(0, vm.cdromIsoPath.lastIndexOf('/')) || '/'] : [];
    return {
      paths: [...sds.map((s) => s.path), ...iso],
      bridges: networks.map((n) => n.bridge),
      networks,
    };
  }
}
