import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandBus } from '../agents/command-bus.service';
import { HostEntity } from '../hosts/host.entity';
import { VmEntity } from '../vms/vm.entity';
import { choose, HostCandidate, judge, Placement } from './placement';

/** Memory kept free on every host for the host itself. */
export const HOST_RESERVE_MIB = 256;

export interface PlacementNeeds {
  clusterId: string;
  memoryMib: number;
  /** Storage domain directories and bridges the host must have. */
  paths: string[];
  bridges: string[];
  /** Only consider this host (the user chose it): it is still validated. */
  hostId?: string | null;
  /** The VM being placed: its own memory is not counted as committed. */
  vmId?: string;
}

/**
 * Picks a host for a VM: hosts of the cluster that are up, have the memory (physical from the agent's
 * capabilities minus the memory of VMs already placed there minus a reserve) and, asked through
 * their agents, the storage directories and bridges the VM needs. Among those, the least loaded.
 */
@Injectable()
export class SchedulerService {
  private readonly logger = new Logger('Scheduler');

  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>,
    private readonly bus: CommandBus,
  ) {}

  async candidates(clusterId: string, hostId?: string | null, vmId?: string): Promise<HostCandidate[]> {
    const hosts = await this.hosts.find({
      where: hostId ? { id: hostId, clusterId } : { clusterId },
      order: { name: 'ASC' },
    });
    if (!hosts.length) return [];
    const rows: { host_id: string; mib: string; n: string }[] = await this.vms.query(
      `SELECT host_id, COALESCE(SUM(memory_mib), 0) AS mib, COUNT(*) AS n FROM vm
        WHERE host_id = ANY($1) AND ($2::uuid IS NULL OR id <> $2) GROUP BY host_id`,
      [hosts.map((h) => h.id), vmId ?? null],
    );
    const byHost = new Map(rows.map((r) => [r.host_id, r]));
    return hosts.map((h) => ({
      id: h.id,
      name: h.name,
      status: h.status,
      memoryMib: h.capabilities ? Math.floor(h.capabilities.memoryKiB / 1024) : null,
      freeMib: h.load ? Math.floor(h.load.memFreeKiB / 1024) : null,
      committedMib: Number(byHost.get(h.id)?.mib ?? 0),
      vmCount: Number(byHost.get(h.id)?.n ?? 0),
    }));
  }

  async place(needs: PlacementNeeds): Promise<Placement> {
    const req = { memoryMib: needs.memoryMib, reserveMib: HOST_RESERVE_MIB };
    const candidates = await this.candidates(needs.clusterId, needs.hostId, needs.vmId);
    // Ask the agents only of hosts that pass the cheap checks.
    await Promise.all(
      candidates
        .filter((c) => judge(c, req).fits)
        .map(async (c) => {
          try {
            const r = await this.bus.send(c.id, 'host.check-resources', {
              paths: [...new Set(needs.paths)],
              bridges: [...new Set(needs.bridges)],
            });
            c.missingPaths = r.missingPaths;
            c.missingBridges = r.missingBridges;
          } catch (err) {
            this.logger.warn(`resource check on ${c.name} failed: ${(err as Error).message}`);
            c.missingPaths = [`(check failed: ${(err as Error).message})`];
          }
        }),
    );
    return choose(candidates, req);
  }
}
