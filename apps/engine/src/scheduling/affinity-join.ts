import { ApiErrorDetail } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { conflict, validationFailed } from '../common/errors/domain-error';
import { affinity } from './filters';
import { SchedulingRepository } from './scheduling.repository';
import type { SchedCluster, SchedHost } from './scheduling.model';

/**
 * A VM created into affinity groups (`affinityGroupIds`): checked before anything is written, joined
 * right after its record, so the scheduler applies the groups from its first placement on.
 */
@Injectable()
export class AffinityJoin {
  constructor(private readonly repo: SchedulingRepository) {}

  /**
   * 400 naming each id that is no group of the VM's cluster. 409 when the enforcing groups alone
   * leave the VM no host of the cluster (or not `hostId`, when the create names one) — decidable now
   * from where the other members are defined and the groups' hosts; capacity is the placement's call.
   */
  async check(
    clusterId: string,
    vmName: string,
    groupIds: string[],
    hostId?: string | null,
  ): Promise<string[]> {
    const unique = [...new Set(groupIds)];
    const groups = await this.repo.groupsByIds(unique);
    const bad: ApiErrorDetail[] = unique.flatMap((id) => {
      const g = groups.find((x) => x.id === id);
      if (g?.clusterId === clusterId) return [];
      const why = g
        ? `affinity group ${g.name} is in another cluster`
        : `affinity group ${id} does not exist`;
      return [{ field: 'affinityGroupIds', reason: why }];
    });
    if (bad.length)
      throw validationFailed("affinityGroupIds must be affinity groups of the VM's cluster", bad);
    const rules = (await this.repo.rulesOf(groups)).filter((r) => r.enforcing);
    if (!rules.length) return unique;
    const hosts = await this.repo.hostsOf(clusterId, hostId ?? null);
    const load = await this.repo.loadOf(hosts.map((h) => h.id));
    // The affinity filter reads only where VMs are defined (ids, names): the rest does not matter here.
    const sched = hosts.map((h) => ({ id: h.id, name: h.name, vmIds: load.get(h.id)!.vmIds }) as SchedHost);
    const ctx = {
      vm: { id: '', name: vmName, clusterId, memoryMib: 0, vcpus: 0 },
      cluster: {} as SchedCluster,
    };
    const refused = sched.map((h) => ({ h, reason: affinity.refuse(h, { ...ctx, rules, hosts: sched }) }));
    if (refused.length && refused.every((r) => r.reason))
      throw conflict(
        `no host can run VM ${vmName} without breaking an enforcing affinity group: ${refused
          .map((r) => `${r.h.name}: ${r.reason}`)
          .join('; ')}`,
        refused.map((r) => ({ field: 'affinityGroupIds', reason: `${r.h.name}: ${r.reason}` })),
      );
    return unique;
  }

  join(vmId: string, groupIds: string[]): Promise<void> {
    return this.repo.join(vmId, groupIds);
  }
}
