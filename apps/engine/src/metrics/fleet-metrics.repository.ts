import { Injectable } from '@nestjs/common';
import { HostRepository } from '../hosts/host.repository';
import { TaskRepository } from '../tasks/task.repository';
import { VmRepository } from '../vms/vm.repository';

export interface HostRow {
  id: string;
  name: string;
  status: string;
  lastHeartbeatAt: Date | null;
}

export interface VmRow {
  id: string;
  name: string;
  hostId: string | null;
  status: string;
}

export interface CountRow {
  key: string;
  status: string;
  count: number;
}

/** What the fleet gauges read at scrape time, asked of the owners: a few grouped queries, no
 * per-object ones. */
@Injectable()
export class FleetMetricsRepository {
  constructor(
    private readonly hostRows: HostRepository,
    private readonly vmRows: VmRepository,
    private readonly taskRows: TaskRepository,
  ) {}

  hosts(): Promise<HostRow[]> {
    return this.hostRows.allByName();
  }

  /** VMs that run somewhere (their resource gauges); stopped ones have no samples to show. */
  placedVms(): Promise<VmRow[]> {
    return this.vmRows.placedByName();
  }

  /** VM counts per host (key: host id, '' for VMs on no host) and status. */
  vmCounts(): Promise<CountRow[]> {
    return this.vmRows.countsByHostAndStatus();
  }

  /** Tasks not yet final, per type (key) and status. */
  activeTasks(): Promise<CountRow[]> {
    return this.taskRows.activeCountsByType();
  }
}
