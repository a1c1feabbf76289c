import {
  EventSeverity,
  HostStatus,
  MaintenanceChoice,
  MaintenanceResult,
  ObjectType,
  statusPhrase,
  Task,
  VmStatus,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { Reservations } from '../vm-migration/migration-scheduler';
import { VmMigrationService } from '../vm-migration/vm-migration.service';
import { EvacuationSteps } from './evacuation-steps';

export const MAINTENANCE_TASK = 'host.maintenance';
export const EVACUATING_PHASE = 'evacuating';
export const MIGRATING_PHASE = 'migrating';
/** Checkpoint: the task first waits for the VM task an admin chose for a blocked VM. */
export const CHOICE_PHASE = 'choice';

/** An admin's answer about a VM that kept the host preparing: the VM task it started. */
export interface ChosenAction {
  vmId: string;
  vmName: string;
  choice: MaintenanceChoice;
  taskId: string;
}

/** The host's reason while VMs keep it preparing: what blocks it, and what the admin can do. */
export function withChoices(reason: string): string {
  const tail =
    ' — choices: shut the VM down or pick a target (POST /hosts/{id}/maintenance/resolve), or cancel (POST /hosts/{id}/activate)';
  return `${reason.slice(0, 2000 - tail.length)}${tail}`;
}

/** One evacuation migration a maintenance task launched (its checkpoint lists them all). */
export interface LaunchedMove {
  vmId: string;
  vmName: string;
  taskId: string;
  targetHostId: string;
}

/** What an evacuation still has to do (`queue`) and what it did so far. */
export interface EvacuationPlan {
  queue: VmEntity[];
  steps: EvacuationSteps;
  result: MaintenanceResult;
  moves: LaunchedMove[];
}
/** Longest a single evacuation migration may take before maintenance gives up waiting for it. */
export const PER_VM_WAIT_MS = 30 * 60_000;

/**
 * Host maintenance: PreparingForMaintenance → every running VM migrated away, spread over the other
 * hosts by free capacity (at most `migrationMaxOutgoing` at a time) → Maintenance. A VM that cannot
 * leave keeps the host PreparingForMaintenance with the reason; `activate` brings it back to Up.
 */
@Injectable()
export class MaintenanceService {
  private readonly logger = new Logger('Maintenance');

  constructor(
    private readonly hosts: HostsService,
    private readonly migrations: VmMigrationService,
    private readonly tasks: TasksService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  async enter(hostId: string, meta: RequestMeta): Promise<Task> {
    const host = await this.hosts.get(hostId);
    if (host.status !== HostStatus.Up && host.status !== HostStatus.PreparingForMaintenance) {
      throw invalidState(
        `host ${host.name} is ${statusPhrase(host.status)}: only an Up host can enter maintenance`,
        [
          {
            reason: `status is ${host.status}`,
            ref: { type: ObjectType.Host, id: host.id, name: host.name },
          },
        ],
      );
    }
    await this.assertNotEvacuating(host);
    await this.hosts.setStatus(host.id, HostStatus.PreparingForMaintenance, 'migrating its VMs away', meta);
    return this.launch(host, meta);
  }

  /** 409 while a maintenance task of the host runs (one evacuation at a time). */
  async assertNotEvacuating(host: HostEntity): Promise<void> {
    const running = await this.tasks.list({
      type: MAINTENANCE_TASK,
      objectId: host.id,
      status: 'running',
    } as never);
    if (running.total > 0)
      throw invalidState(`host ${host.name} is already being evacuated`, [
        { reason: 'a maintenance task is running', ref: { type: ObjectType.Task, id: running.items[0]!.id } },
      ]);
  }

  /**
   * The maintenance task of a host already preparing for maintenance. `choice`, an admin's answer
   * about a VM that could not leave (maintenance-choices.ts), is awaited first; then every running
   * VM left is migrated away as in `enter`, and the host enters maintenance once nothing runs there.
   */
  launch(host: HostEntity, meta: RequestMeta, choice?: ChosenAction): Promise<Task> {
    return this.tasks.launch(
      {
        type: MAINTENANCE_TASK,
        target: { type: ObjectType.Host, id: host.id, name: host.name },
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
      },
      async (ctx) => {
        if (choice) await this.awaitChoice(ctx, host, choice, meta);
        return this.evacuate(ctx, host, meta);
      },
    );
  }

  /** Waits for the VM's own task (shutdown, power-off, migration to the chosen host) to end. */
  async awaitChoice(
    ctx: TaskContext,
    host: HostEntity,
    choice: ChosenAction,
    meta: RequestMeta,
  ): Promise<void> {
    await ctx.checkpoint(CHOICE_PHASE, { hostId: host.id, choice });
    await ctx
      .progress(5, `${choice.choice} of ${choice.vmName} (task ${choice.taskId})`)
      .catch(() => undefined);
    const final = await this.migrations.waitForTask(choice.taskId, PER_VM_WAIT_MS);
    if (final.status === 'succeeded') return;
    const reason = `${choice.choice} of ${choice.vmName} ${final.status}: ${final.errorMessage ?? 'no reason given'}`;
    const current = await this.hosts.get(host.id);
    if (current.status === HostStatus.PreparingForMaintenance)
      await this.hosts.setStatus(host.id, HostStatus.PreparingForMaintenance, withChoices(reason), meta);
    throw new DomainError('invalid_state', reason);
  }

  async activate(hostId: string, meta: RequestMeta): Promise<HostEntity> {
    const host = await this.hosts.get(hostId);
    if (host.status !== HostStatus.Maintenance && host.status !== HostStatus.PreparingForMaintenance) {
      throw invalidState(`host ${host.name} is ${statusPhrase(host.status)}, not in maintenance`, [
        { reason: `status is ${host.status}`, ref: { type: ObjectType.Host, id: host.id, name: host.name } },
      ]);
    }
    return this.hosts.setStatus(host.id, HostStatus.Up, null, meta);
  }

  private async evacuate(
    ctx: TaskContext,
    host: HostEntity,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    const vms = (await this.migrations.vmsOn(host.id)).filter((v) => v.status !== VmStatus.Down);
    // Before any migration: an engine adopting the task knows which host it evacuates.
    await ctx.checkpoint(EVACUATING_PHASE, { hostId: host.id, moves: [] });
    const result: MaintenanceResult = { hostId: host.id, migrated: [], failed: [] };
    return this.drain(ctx, host, meta, { queue: vms, steps: new EvacuationSteps(vms), result, moves: [] });
  }

  /**
   * Continues the evacuation of a dead engine's maintenance task: `plan` holds what its migrations
   * ended with and the VMs the host still runs (maintenance-adoption.ts asked the hosts); the rest
   * runs as in `enter`, and the host ends in maintenance only once the host has nothing left.
   */
  async resume(ctx: TaskContext, host: HostEntity, plan: EvacuationPlan): Promise<Record<string, unknown>> {
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    return this.drain(ctx, host, meta, plan);
  }

  private async drain(
    ctx: TaskContext,
    host: HostEntity,
    meta: RequestMeta,
    plan: EvacuationPlan,
  ): Promise<Record<string, unknown>> {
    const { result, steps, moves } = plan;
    const queue = [...plan.queue];
    const reservations: Reservations = new Map();
    let done = result.migrated.length + result.failed.length;
    const total = done + queue.length;
    // Every change of the plan is published on the task (steps), so the evacuation is visible VM by VM.
    const publish = (message: string) =>
      ctx.progress(total ? (done / total) * 100 : 0, message, { steps: steps.list() }).catch(() => undefined);
    await publish(queue.length ? `migrating ${queue.length} VM(s) away` : 'no VMs to migrate');

    const worker = async () => {
      for (let vm = queue.shift(); vm; vm = queue.shift()) {
        const current = await this.hosts.get(host.id);
        if (current.status !== HostStatus.PreparingForMaintenance) {
          const reason = `stopped: host is ${statusPhrase(current.status)}`;
          result.failed.push({ vmId: vm.id, vmName: vm.name, reason, taskId: null });
          steps.failed(vm.id, reason);
          await publish(`${vm.name} not migrated: ${reason}`);
          continue;
        }
        await this.moveOne(ctx, vm, reservations, { result, moves }, meta, steps, publish);
        done++;
        await publish(`${done} of ${total} VM(s) handled`);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.config.migrationMaxOutgoing, queue.length) }, () => worker()),
    );

    if (result.failed.length) {
      const reason =
        `${result.failed.length} VM(s) could not be migrated: ` +
        result.failed.map((f) => `${f.vmName}: ${f.reason}`).join('; ');
      const current = await this.hosts.get(host.id);
      if (current.status === HostStatus.PreparingForMaintenance)
        await this.hosts.setStatus(host.id, HostStatus.PreparingForMaintenance, withChoices(reason), meta);
      throw new DomainError('unprocessable', reason);
    }
    // A VM that appeared meanwhile (started by hand) keeps the host from entering maintenance.
    const left = (await this.migrations.vmsOn(host.id)).filter((v) => v.status !== VmStatus.Down);
    if (left.length) {
      const reason = `VM(s) still on the host: ${left.map((v) => v.name).join(', ')}`;
      await this.hosts.setStatus(host.id, HostStatus.PreparingForMaintenance, withChoices(reason), meta);
      throw new DomainError('invalid_state', reason);
    }
    await this.hosts.setStatus(host.id, HostStatus.Maintenance, null, meta);
    await this.migrations.recordEvent(
      EventSeverity.Info,
      'host.maintenance',
      `host ${host.name} is in maintenance; ${result.migrated.length} VM(s) migrated away`,
      [{ type: ObjectType.Host, id: host.id, name: host.name }],
      meta.correlationId,
    );
    return result as unknown as Record<string, unknown>;
  }

  /** Planning + starting one migration at a time, so each plan sees the previous reservations. */
  private planning: Promise<unknown> = Promise.resolve();

  private async moveOne(
    ctx: TaskContext,
    vm: VmEntity,
    reservations: Reservations,
    { result, moves }: Pick<EvacuationPlan, 'result' | 'moves'>,
    meta: RequestMeta,
    steps: EvacuationSteps,
    publish: (message: string) => Promise<unknown>,
  ) {
    const started = this.planning.then(async () => {
      const task = await this.migrations.migrate(vm.id, {}, meta, reservations);
      const row = await this.migrations.get(task.id);
      const r = reservations.get(row.targetHostId) ?? { memoryMiB: 0, vms: 0 };
      reservations.set(row.targetHostId, { memoryMiB: r.memoryMiB + vm.memoryMib, vms: r.vms + 1 });
      // Every migration launched, in order (one at a time here): an adopting engine waits for them.
      moves.push({ vmId: vm.id, vmName: vm.name, taskId: task.id, targetHostId: row.targetHostId });
      await ctx.checkpoint(MIGRATING_PHASE, { moves: [...moves] });
      return { task, row };
    });
    this.planning = started.catch(() => undefined);
    let task: Task;
    let row: { targetHostId: string };
    try {
      ({ task, row } = await started);
    } catch (e) {
      result.failed.push({ vmId: vm.id, vmName: vm.name, reason: (e as Error).message, taskId: null });
      steps.failed(vm.id, (e as Error).message);
      return;
    }
    const targetName = await this.hosts.get(row.targetHostId).then(
      (h) => h.name,
      () => row.targetHostId,
    );
    steps.migrating(vm.id, targetName);
    await publish(`migrating ${vm.name} to ${targetName}`);
    const final = await this.migrations.waitForTask(task.id, PER_VM_WAIT_MS);
    if (final.status === 'succeeded') {
      result.migrated.push({ vmId: vm.id, vmName: vm.name, targetHostId: row.targetHostId, taskId: task.id });
      steps.migrated(vm.id, targetName);
    } else {
      const reason = final.errorMessage ?? `migration ${final.status}`;
      result.failed.push({ vmId: vm.id, vmName: vm.name, reason, taskId: task.id });
      steps.failed(vm.id, reason);
    }
  }
}
