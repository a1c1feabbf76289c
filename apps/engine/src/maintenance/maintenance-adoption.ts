import { ErrorCode, HostStatus, MaintenanceResult, statusPhrase, TaskStatus } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { domainOn, isRunning } from '../agents/domain-probe';
import { DomainError } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { checkpointHost, TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { isFinal, TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmMigrationService } from '../vm-migration/vm-migration.service';
import { EvacuationSteps } from './evacuation-steps';
import {
  ChosenAction,
  LaunchedMove,
  MAINTENANCE_TASK,
  MaintenanceService,
  PER_VM_WAIT_MS,
} from './maintenance.service';

/**
 * Adopts `host.maintenance` tasks of a dead engine. The migrations it launched are tasks of their
 * own, adopted and settled by asking both hosts (migration-adoption.ts): this waits for each to end,
 * then asks the host which of the VMs still placed on it libvirt runs there, migrates those away as
 * the evacuation would have, and puts the host in maintenance only when nothing is left — or fails
 * naming the VMs that could not leave (the host stays preparing for maintenance, with the reason).
 * A task started by an admin's choice (maintenance-choices.ts) first waits for the chosen VM task.
 */
@Injectable()
export class MaintenanceAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly hosts: HostsService,
    private readonly migrations: VmMigrationService,
    private readonly maintenance: MaintenanceService,
    private readonly bus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(MAINTENANCE_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const host = await checkpointHost(
      this.hosts,
      cp,
      `the host under maintenance is gone since the engine evacuating it stopped`,
    );
    // An admin's choice about a blocked VM comes first: its own task (adopted on its own) must end.
    if (cp.choice) {
      const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
      await this.maintenance.awaitChoice(ctx, host, cp.choice as ChosenAction, meta);
    }
    const moves = Array.isArray(cp.moves) ? (cp.moves as LaunchedMove[]) : [];
    await ctx
      .progress(ctx.task.progress, `engine stopped; settling the ${moves.length} migration(s) it started`)
      .catch(() => undefined);
    const result: MaintenanceResult = { hostId: host.id, migrated: [], failed: [] };
    for (const move of moves) await this.settled(move, result);

    const current = await this.hosts.get(host.id);
    // The original engine puts the host in maintenance as its very last step.
    if (current.status === HostStatus.Maintenance) return result as unknown as Record<string, unknown>;
    if (current.status !== HostStatus.PreparingForMaintenance)
      throw new DomainError(
        ErrorCode.InvalidState,
        `host ${host.name} became ${statusPhrase(current.status)} while the engine evacuating it was down; the evacuation stops`,
      );
    const moved = new Set(moves.map((m) => m.vmId));
    const queue = await this.stillRunning(
      host,
      (await this.migrations.vmsOn(host.id)).filter((v) => !moved.has(v.id)),
    );
    const steps = new EvacuationSteps([...moves.map((m) => ({ id: m.vmId, name: m.vmName })), ...queue]);
    for (const m of result.migrated)
      steps.migrated(
        m.vmId,
        await this.hosts.get(m.targetHostId).then(
          (h) => h.name,
          () => m.targetHostId,
        ),
      );
    for (const f of result.failed) steps.failed(f.vmId, f.reason);
    return this.maintenance.resume(ctx, host, { queue, steps, result, moves });
  }

  /** Waits for one launched migration to end (its own adopter settles it) and records how. */
  private async settled(move: LaunchedMove, result: MaintenanceResult): Promise<void> {
    const final = await this.migrations.waitForTask(move.taskId, PER_VM_WAIT_MS);
    const { vmId, vmName, taskId } = move;
    if (final.status === TaskStatus.Succeeded)
      result.migrated.push({ vmId, vmName, targetHostId: move.targetHostId, taskId });
    else {
      const reason = isFinal(final.status)
        ? (final.errorMessage ?? `migration ${final.status}`)
        : `migration still ${final.status} after ${PER_VM_WAIT_MS / 60_000} min`;
      result.failed.push({ vmId, vmName, reason, taskId });
    }
  }

  /** The VMs among `placed` that libvirt on the host runs (a host that cannot answer: unknowable). */
  private async stillRunning(host: HostEntity, placed: VmEntity[]): Promise<VmEntity[]> {
    const running: VmEntity[] = [];
    for (const vm of placed) {
      const presence = await domainOn(this.bus, host.id, vm.id);
      if ('why' in presence)
        throw new TaskUnknowable(
          `the engine evacuating host ${host.name} stopped and the host does not answer (${presence.why}); check which VMs still run there and enter maintenance again`,
        );
      if (isRunning(presence)) running.push(vm);
    }
    return running;
  }
}
