import {
  MigrationCommandResult,
  MigrationProgress,
  ObjectType,
  Task,
  TaskStep,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { VmStateSyncService } from '../agents/vm-state-sync.service';
import { whileDatabaseAway } from '../common/errors/database-unavailable';
import { RequestMeta } from '../common/http/request-meta';
import { EventsService } from '../events/events.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { describePlacement } from './migration-end';
import { MigrationPlan } from './migration-planner';
import { hostRef, MigrationRepository, vmRef } from './migration.repository';
import { isCancellation, migrationJobId } from './migration-task';
import { MigrationSettlement } from './migration-settlement';

/** How long settling a migration waits out a database outage (a Postgres restart or failover). */
const SETTLE_MAX_WAIT_MS = 2 * 60_000;

/** The `vm.migrate` task once admitted: its start event, the source agent's command and its live
 * progress, then the settlement of how it ended. */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger('VmMigration');

  constructor(
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly vmSync: VmStateSyncService,
    private readonly events: EventsService,
    private readonly migrations: MigrationRepository,
    private readonly settlement: MigrationSettlement,
  ) {}

  async start(task: Task, plan: MigrationPlan, steps: TaskStep[], meta: RequestMeta): Promise<Task> {
    const { vm, source, target } = plan;
    // The migration starts now; its audit event is written alongside, not in front of it (and before
    // any event of its end: execute waits for it with its other opening writes).
    const started = this.events.record({
      type: 'vm.migration_started',
      message: `migration of VM ${vm.name} from ${source.name} to ${target.name} started (${plan.targetReason})`,
      refs: [vmRef(vm), hostRef(source), hostRef(target), { type: ObjectType.Task, id: task.id }],
      correlationId: meta.correlationId,
    });
    void this.tasks.run(task, (ctx) => this.execute(ctx, plan, steps, meta, started));
    await started;
    return task;
  }

  private async execute(
    ctx: TaskContext,
    plan: MigrationPlan,
    steps: TaskStep[],
    meta: RequestMeta,
    started: Promise<unknown>,
  ): Promise<Record<string, unknown>> {
    const { vm, source, target } = plan;
    const id = ctx.task.id;
    const jobId = migrationJobId(id);
    const step = async (i: number, status: TaskStep['status'], message?: string, pct = 0) => {
      steps[i] = { ...steps[i]!, status, ...(message !== undefined ? { message } : {}) };
      await ctx.progress(pct, message, { steps: [...steps] }).catch(() => undefined);
    };
    // Before the command: an engine adopting the task looks for this job on the source.
    await ctx.checkpoint('migrating', { jobId, sourceHostId: source.id, targetHostId: target.id });
    // Written while the command travels; the agent's progress is recorded only after them, so its
    // first message is not overwritten by this step's, and nothing of the end precedes the start event.
    const marked = Promise.all([
      this.vmSync.patchVm(vm.id, {
        status: VmStatus.MigratingFrom,
        statusReason: `migrating to ${target.name}`,
      }),
      step(2, 'running', `migrating to ${target.name}`),
      started,
    ]).catch((err: Error) => this.logger.warn(`migration ${id}: an opening write failed: ${err.message}`));
    let result: MigrationCommandResult;
    try {
      result = await this.bus.send(
        source.id,
        'vm.migrate',
        { uuid: vm.id, destinationUri: target.libvirtUri, options: plan.options },
        {
          taskId: id,
          correlationId: meta.correlationId,
          jobId,
          onProgress: (p) => void marked.then(() => this.recordProgress(id, p)),
        },
      );
      await marked;
    } catch (e) {
      await marked;
      const err = e as AgentCommandError;
      const parties = { vm, source, target };
      if (isCancellation(err)) return this.settlement.settleFailed(ctx, parties, steps, err);
      // A failed or lost command is not libvirt's last word (QEMU may finish a move whose virsh
      // connection was cut): the hosts say how it ended.
      return whileDatabaseAway(
        () =>
          this.settlement.settleByHosts(ctx, parties, steps, { state: 'failed', error: err }, plan, (where) =>
            this.settlement.settleFailed(
              ctx,
              parties,
              steps,
              new AgentCommandError({
                code: err.code ?? 'internal',
                message: `${err.message}; the hosts do not show one owner (${describePlacement(where)})`,
              }),
            ),
          ),
        SETTLE_MAX_WAIT_MS,
      );
    }
    // The move happened: a database outage while it is recorded is waited out, not turned into a
    // failed task with the VM's record left on the source (the settling reads and writes repeat safely).
    return whileDatabaseAway(
      () => this.settlement.settleSucceeded(ctx, { vm, source, target }, steps, result, plan),
      SETTLE_MAX_WAIT_MS,
    );
  }

  private async recordProgress(id: string, raw: unknown): Promise<void> {
    const p = raw as { percent?: number; data?: Record<string, unknown> } | undefined;
    if (!p?.data) return;
    const progress = {
      ...p.data,
      percent: p.percent ?? 0,
      at: new Date().toISOString(),
    } as MigrationProgress;
    await this.migrations
      .recordProgress(id, progress)
      .catch((e: Error) => this.logger.debug(`progress of migration ${id} not stored: ${e.message}`));
  }
}
