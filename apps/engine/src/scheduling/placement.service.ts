import { ObjectType, SchedulingDecision, SchedulingFilter, VmCpuSpec } from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';
import type { VmEntity } from '../vms/vm.entity';
import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/domain-error';
import { isActive } from '../vms/vm-status.mapping';
import { unplaceable } from './affinity-conflict';
import { clusterCpu, SchedulingService } from './scheduling.service';

export interface PlacementNeeds {
  clusterId: string;
  memoryMib: number;
  /** Storage domain directories and bridges the host must have. */
  paths: string[];
  bridges: string[];
  /** Only consider this host (the user chose it): it is still validated. */
  hostId?: string | null;
  /** The VM being placed (its name, vCPUs and affinity groups; its own memory is not counted). */
  vmId?: string;
}

export interface Placement {
  host: { id: string; name: string } | null;
  /** Why this host, or each host's reason when none fits. */
  reason: string;
  decision: SchedulingDecision;
  /** The guest CPU the cluster asks for (the chosen host was checked to run it). */
  cpu?: VmCpuSpec;
}

/** Where a VM that is defined nowhere (new, or leaving its host) goes: create, start, HA restart. */
@Injectable()
export class PlacementService {
  constructor(private readonly scheduling: SchedulingService) {}

  async place(needs: PlacementNeeds): Promise<Placement> {
    const vm = needs.vmId ? await this.scheduling.repo.vm(needs.vmId) : null;
    const [hosts, cluster] = await Promise.all([
      this.scheduling.repo.hostsOf(needs.clusterId, needs.hostId),
      this.scheduling.repo.cluster(needs.clusterId),
    ]);
    const decision = await this.scheduling.decide(
      {
        // Without a VM record (never the case for provision), a nil id matches no VM and no group.
        id: needs.vmId ?? '00000000-0000-0000-0000-000000000000',
        name: vm?.name ?? 'new VM',
        clusterId: needs.clusterId,
        memoryMib: needs.memoryMib,
        vcpus: vm?.vcpus ?? 1,
      },
      hosts,
      { checks: this.scheduling.resourceChecks(needs.paths, needs.bridges) },
    );
    const cpu = clusterCpu(cluster.cpuModel);
    return {
      host: decision.hostId ? { id: decision.hostId, name: decision.hostName! } : null,
      reason: decision.summary,
      decision,
      ...(cpu ? { cpu } : {}),
    };
  }

  /** Where the VM would go now, without placing it: the VM's current host is left out when it runs
   * (it would be a migration), and `memoryMib`/`vcpus` may be asked "what if". */
  async preview(
    vmId: string,
    whatIf: { memoryMib?: number; vcpus?: number } = {},
  ): Promise<SchedulingDecision> {
    const vm = await this.scheduling.repo.vm(vmId);
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    const needs = await this.scheduling.repo.needsOf(vm);
    const all = await this.scheduling.repo.hostsOf(vm.clusterId);
    const hosts = vm.hostId && isActive(vm.status) ? all.filter((h) => h.id !== vm.hostId) : all;
    return this.scheduling.decide(
      {
        ...shapeOf(vm),
        memoryMib: whatIf.memoryMib ?? vm.memoryMib,
        vcpus: whatIf.vcpus ?? vm.vcpus,
        networks: needs.networks,
      },
      hosts,
      {
        checks: this.scheduling.resourceChecks(needs.paths, needs.bridges),
      },
    );
  }

  /** The enforcing affinity group the VM would break by starting where it is defined, if any. */
  async ruleBrokenOn(vmId: string, host: HostEntity): Promise<string | null> {
    const vm = await this.scheduling.repo.vm(vmId);
    if (!vm) return null;
    const d = await this.scheduling.decide(shapeOf(vm), [host]);
    const refused = d.hosts[0]?.filteredBy;
    return refused?.filter === SchedulingFilter.Affinity ? refused.reason : null;
  }

  /** 422 naming each host's reason when a VM defined nowhere could not be placed (before a start task);
   * 409 when an enforcing affinity group is what refused a host. */
  async assertPlaceable(vmId: string): Promise<void> {
    const d = await this.preview(vmId);
    if (d.hostId) return;
    throw unplaceable((await this.scheduling.repo.vm(vmId))?.name ?? vmId, d);
  }
}

const shapeOf = (vm: VmEntity) => ({
  id: vm.id,
  name: vm.name,
  clusterId: vm.clusterId,
  memoryMib: vm.memoryMib,
  vcpus: vm.vcpus,
});
