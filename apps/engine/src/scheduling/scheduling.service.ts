import { SchedulingDecision, SchedulingPolicy, VmCpuSpec } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import type { ClusterEntity } from '../clusters/cluster.entity';
import type { HostEntity } from '../hosts/host.entity';
import { decide } from './decide';
import type { SchedCluster, SchedHost, SchedVm } from './scheduling.model';
import { SchedulingRepository } from './scheduling.repository';

/** Memory kept free on every host for the host itself. */
export const HOST_RESERVE_MIB = 256;

/** Memory and VMs already promised to hosts by an ongoing batch (a maintenance evacuation). */
export type Pending = Map<string, { memoryMiB: number; vms: number }>;

export interface DecideOptions {
  /** Memory promised by decisions not carried out yet. */
  pending?: Pending;
  /** The caller's questions to the agents of the hosts that pass every other filter (problems by host id). */
  checks?: (hosts: HostEntity[]) => Promise<Map<string, string[]>>;
}

/** A VM as the scheduler needs it. */
export type VmShape = SchedVm;

/** The guest CPU the cluster asks for, as the domain spec carries it. */
export function clusterCpu(cpuModel: string | null): VmCpuSpec | undefined {
  if (cpuModel === null) return undefined;
  if (cpuModel === 'host-model' || cpuModel === 'host-passthrough') return { mode: cpuModel };
  return { mode: 'custom', model: cpuModel };
}

/**
 * The one scheduler: gathers the facts (hosts, what is defined on them, affinity groups, pending
 * promises), runs the pure decision, asks the agents only of the hosts still in the running, decides
 * again with their answers. Every placement — create, start, migration, evacuation, HA restart — ends here.
 */
@Injectable()
export class SchedulingService {
  private readonly logger = new Logger('Scheduling');

  constructor(
    readonly repo: SchedulingRepository,
    private readonly bus: CommandBus,
  ) {}

  async decide(
    shape: VmShape,
    hosts: HostEntity[],
    options: DecideOptions = {},
  ): Promise<SchedulingDecision> {
    const [cluster, load, rules, networks, bridges] = await Promise.all([
      this.repo.cluster(shape.clusterId),
      this.repo.loadOf(
        hosts.map((h) => h.id),
        shape.id,
      ),
      this.repo.rulesFor(shape.id),
      shape.networks ?? this.repo.networksOf(shape.id),
      this.repo.bridgesOf(hosts.map((h) => h.id)),
    ]);
    const vm = { ...shape, networks };
    const sched = schedCluster(cluster);
    const facts = hosts.map((h) => ({
      ...schedHost(h, load.get(h.id)!, options.pending),
      bridges: bridges.get(h.id) ?? null,
    }));
    const first = decide({ vm, cluster: sched, hosts: facts, rules });
    if (!options.checks) return first;
    const survivors = hosts.filter((h) => first.hosts.find((v) => v.hostId === h.id)?.filteredBy === null);
    const problems = survivors.length ? await options.checks(survivors) : new Map<string, string[]>();
    for (const f of facts) f.checks = problems.get(f.id) ?? null;
    return decide({ vm, cluster: sched, hosts: facts, rules });
  }

  /** `host.check-resources` on each host: the storage directories and bridges a defined VM needs. */
  resourceChecks(paths: string[], bridges: string[]) {
    return async (hosts: HostEntity[]) =>
      new Map(
        await Promise.all(
          hosts.map(async (h): Promise<[string, string[]]> => {
            try {
              const r = await this.bus.send(h.id, 'host.check-resources', {
                paths: [...new Set(paths)],
                bridges: [...new Set(bridges)],
              });
              return [
                h.id,
                [
                  ...(r.missingPaths.length ? [`host lacks storage ${r.missingPaths.join(', ')}`] : []),
                  ...(r.missingBridges.length ? [`host lacks bridge ${r.missingBridges.join(', ')}`] : []),
                ],
              ];
            } catch (err) {
              this.logger.warn(`resource check on ${h.name} failed: ${(err as Error).message}`);
              return [h.id, [`resource check failed: ${(err as Error).message}`]];
            }
          }),
        ),
      );
  }
}

export function schedCluster(c: ClusterEntity): SchedCluster {
  return {
    id: c.id,
    policy: c.schedulingPolicy ?? SchedulingPolicy.EvenlyDistributed,
    cpuModel: c.cpuModel,
    reserveMib: HOST_RESERVE_MIB,
  };
}

export function schedHost(
  h: HostEntity,
  load: { committedMib: number; vmIds: string[] },
  pending?: Pending,
): SchedHost {
  const caps = h.capabilities;
  const promised = pending?.get(h.id);
  return {
    id: h.id,
    name: h.name,
    clusterId: h.clusterId,
    status: h.status,
    memoryMib: caps ? Math.floor(caps.memoryKiB / 1024) : null,
    committedMib: load.committedMib,
    pendingMib: promised?.memoryMiB ?? 0,
    vmCount: load.vmIds.length + (promised?.vms ?? 0),
    vmIds: load.vmIds,
    cpuCount: caps ? caps.cpu.count : null,
    virtualization: caps?.virtualization ?? null,
    cpuModes: caps?.cpuModes ?? null,
    checks: null,
  };
}
