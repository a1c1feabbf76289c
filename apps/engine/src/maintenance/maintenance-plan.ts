import {
  ErrorCode,
  MAINTENANCE_CHOICES,
  MaintenancePlan,
  MaintenancePlanMove,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { HostsService } from '../hosts/hosts.service';
import { MigrationPlanner } from '../vm-migration/migration-planner';
import { Reservations } from '../vm-migration/migration-scheduler';
import { VmMigrationService } from '../vm-migration/vm-migration.service';

/**
 * What entering maintenance would do now, VM by VM: the evacuation's own checks (MigrationPlanner.plan,
 * which only places on Up hosts — never one in or preparing for maintenance, non-operational or
 * being evacuated) with the memory of earlier VMs reserved as the evacuation reserves it, so two VMs
 * are not both promised the last free gigabyte. Nothing is started or changed.
 */
@Injectable()
export class MaintenancePlanner {
  constructor(
    private readonly hosts: HostsService,
    private readonly migrations: VmMigrationService,
    private readonly planner: MigrationPlanner,
  ) {}

  async plan(hostId: string): Promise<MaintenancePlan> {
    const host = await this.hosts.get(hostId);
    const vms = await this.migrations.vmsOn(host.id);
    const stopped = vms.filter((v) => v.status === VmStatus.Down);
    const reservations: Reservations = new Map();
    const running: MaintenancePlanMove[] = [];
    // One after another, as the evacuation plans them: each sees the previous reservations.
    for (const vm of vms.filter((v) => v.status !== VmStatus.Down)) {
      const base = { vmId: vm.id, vmName: vm.name, memoryMib: vm.memoryMib };
      try {
        const p = await this.planner.plan(vm.id, {}, reservations);
        const r = reservations.get(p.target.id) ?? { memoryMiB: 0, vms: 0 };
        reservations.set(p.target.id, { memoryMiB: r.memoryMiB + vm.memoryMib, vms: r.vms + 1 });
        running.push({
          ...base,
          targetHostId: p.target.id,
          targetHostName: p.target.name,
          reason: p.targetReason,
        });
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === ErrorCode.NotFound) throw e;
        running.push({ ...base, targetHostId: null, targetHostName: null, reason: e.message });
      }
    }
    const blocked = running.filter((m) => !m.targetHostId).length;
    return {
      hostId: host.id,
      hostName: host.name,
      hostStatus: host.status,
      running,
      stopped: stopped.map((v) => ({ vmId: v.id, vmName: v.name })),
      blocked,
      summary: summarize(host.name, running.length - blocked, blocked, stopped.length),
      choices: [...MAINTENANCE_CHOICES],
    };
  }
}

export function summarize(hostName: string, moving: number, blocked: number, stopped: number): string {
  const parts = [
    moving || !blocked ? `${moving} running VM(s) live-migrated away from ${hostName}` : null,
    blocked
      ? `${blocked} running VM(s) cannot move: the host would stay preparing for maintenance until each is shut down, given a target, or maintenance is cancelled`
      : null,
    stopped ? `${stopped} stopped VM(s) stay defined there and start on another host when started` : null,
  ];
  return parts.filter(Boolean).join('; ');
}
