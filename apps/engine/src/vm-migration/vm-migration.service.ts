import {
  ErrorCode,
  EventSeverity,
  MigrationCommandResult,
  MigrationProgress,
  MigrationStatus,
  MigrationTaskResult,
  ObjectRef,
  ObjectType,
  Page,
  Task,
  TaskStep,
  VmStatus,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { apiCodeOf, fromAgentError } from '../agents/agent-error.mapping';
import { CommandBus } from '../agents/command-bus.service';
import { VmStateSyncService } from '../agents/vm-state-sync.service';
import { DomainError, invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec, paginate } from '../common/list/list-query';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { waitUntil } from '../stream/wait-until';
import { HostEntity } from '../hosts/host.entity';
import { isFinal, TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { MigrationOwnership } from './migration-ownership';
import { MigrationPlan, MigrationPlanner } from './migration-planner';
import { admissionCounts, activeMigrationId, hostRef, vmRef } from './migration-queries';
import { Reservations } from './migration-scheduler';
import { MigrateVmDto, MigrationListQuery } from './vm-migration.dto';
import { VmMigrationEntity } from './vm-migration.entity';

export const MIGRATE_TASK = 'vm.migrate';
/** Engine defaults for what Cluster.migrationPolicy does not carry. */
/** After libvirt reports success, how long the hosts have to confirm the move (target running,
 * source gone) before the task fails. */
const OWNERSHIP_CONFIRM_MS = 30_000;
const OWNERSHIP_RECHECK_MS = 1_000;
const ADVISORY_LOCK = 0x6b6d6967; // "kmig": serialises slot checks + inserts across engines

const LIST: ListSpec = {
  sortable: { createdAt: 'm.createdAt', finishedAt: 'm.finishedAt', status: 'm.status' },
  defaultSort: 'createdAt',
  defaultOrder: 'desc',
  filters: {
    vmId: 'm.vmId',
    status: 'm.status',
    hostId: (qb, v, p) => qb.andWhere(`(m.sourceHostId = :${p} OR m.targetHostId = :${p})`, { [p]: v }),
  },
};

/**
 * Live migration: pre-checks (nothing is sent to a host when one fails), target scheduling, the
 * `vm.migrate` task that drives the source agent, live progress, cancel, and the ownership rule
 * (see migration-ownership.ts).
 */
@Injectable()
export class VmMigrationService implements OnModuleInit {
  private readonly logger = new Logger('VmMigration');

  constructor(
    @InjectRepository(VmMigrationEntity) private readonly repo: Repository<VmMigrationEntity>,
    @InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly vmSync: VmStateSyncService,
    private readonly events: EventsService,
    private readonly planner: MigrationPlanner,
    private readonly stream: StreamService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.tasks.registerCanceller(MIGRATE_TASK, (task, reason) => this.cancelTask(task, reason));
    // Rows whose task ended without them (engine stopped mid-migration) are no longer running.
    await this.db
      .query(
        `UPDATE vm_migration m SET status = 'failed', finished_at = now(),
            error = COALESCE(m.error, 'the engine running this migration stopped; check where the VM runs')
          FROM task t WHERE t.id = m.id AND m.status = 'running' AND t.status NOT IN ('queued', 'running')`,
      )
      .catch((e: Error) => this.logger.warn(`could not close stale migrations: ${e.message}`));
  }

  // ---- API ----

  async get(id: string): Promise<VmMigrationEntity> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw notFound('migration', id);
    return m;
  }

  async list(query: MigrationListQuery): Promise<Page<VmMigrationEntity>> {
    return paginate(this.repo.createQueryBuilder('m'), query, LIST);
  }

  /** Checks everything, then starts the `vm.migrate` task (202). */
  async migrate(
    vmId: string,
    dto: MigrateVmDto,
    meta: RequestMeta,
    reservations?: Reservations,
  ): Promise<Task> {
    const plan = await this.planner.plan(vmId, dto, reservations);
    return this.start(plan, meta);
  }

  /** `POST /vms/{id}/migrate/cancel`. */
  async cancelForVm(vmId: string, meta: RequestMeta): Promise<Task> {
    const vm = await this.vms.findOneBy({ id: vmId });
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    const activeId = await activeMigrationId(this.db, vmId);
    const active = activeId ? await this.repo.findOneBy({ id: activeId }) : null;
    if (!active)
      throw invalidState(`VM ${vm.name} is not migrating`, [
        { reason: 'no migration running', ref: vmRef(vm) },
      ]);
    return this.tasks.requestCancel(active.id, meta.actor);
  }

  // ---- running ----

  private async start(plan: MigrationPlan, meta: RequestMeta): Promise<Task> {
    const { vm, source, target } = plan;
    const steps: TaskStep[] = [
      { name: 'select target', status: 'done', message: plan.targetReason },
      { name: 'pre-checks', status: 'done', message: 'running, devices, CPU, memory, storage, networks' },
      { name: 'migrate', status: 'pending' },
      { name: 'confirm new owner', status: 'pending' },
    ];
    const task = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK]);
      const counts = await admissionCounts(em, vm.id, source.id, target.id);
      if (counts.busy)
        throw invalidState(`VM ${vm.name} is already migrating`, [
          { reason: 'a migration is running', ref: vmRef(vm) },
        ]);
      if (counts.outgoing >= this.config.migrationMaxOutgoing)
        throw invalidState(
          `host ${source.name} is already sending ${counts.outgoing} migration(s) (limit ${this.config.migrationMaxOutgoing}); retry when one finished`,
          [{ reason: 'outgoing migration limit reached', ref: hostRef(source) }],
        );
      if (counts.incoming >= this.config.migrationMaxIncoming)
        throw invalidState(
          `host ${target.name} is already receiving ${counts.incoming} migration(s) (limit ${this.config.migrationMaxIncoming}); retry when one finished`,
          [{ reason: 'incoming migration limit reached', ref: hostRef(target) }],
        );
      // The task (and its lock on the VM: 409 while another operation runs) commits with the row.
      const t = await this.tasks.create(MIGRATE_TASK, vmRef(vm), meta.actor, meta.correlationId, steps, {
        manager: em,
      });
      await em.insert(VmMigrationEntity, {
        id: t.id,
        vmId: vm.id,
        sourceHostId: source.id,
        targetHostId: target.id,
        status: MigrationStatus.Running,
        policy: plan.policy,
        targetReason: plan.targetReason,
        progress: null,
        progressSamples: 0,
        result: null,
        error: null,
        targetRunningAt: null,
        sourceGoneAt: null,
        finishedAt: null,
      });
      return t;
    });
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
    const step = async (i: number, status: TaskStep['status'], message?: string, pct = 0) => {
      steps[i] = { ...steps[i]!, status, ...(message !== undefined ? { message } : {}) };
      await ctx.progress(pct, message, { steps: [...steps] }).catch(() => undefined);
    };
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
          jobId: `${id}-migrate`,
          onProgress: (p) => void marked.then(() => this.recordProgress(id, p)),
        },
      );
      await marked;
    } catch (e) {
      await marked;
      const err = e as AgentCommandError;
      const cancelled = /^migration cancelled/i.test(err.message);
      // The source lost the command (agent killed mid-migration, job gone from Redis): where the VM
      // runs is not known from here; the hosts' listings (resync below) say.
      const lost = err.code === 'command_lost' || err.code === 'outcome_unknown';
      const reason = cancelled
        ? err.message
        : lost
          ? `migration of VM ${vm.name} from ${source.name} to ${target.name}: the outcome is unknown (${err.message}); where the VM runs is taken from the hosts' listings`
          : `migration of VM ${vm.name} from ${source.name} to ${target.name} failed: ${err.message}; the VM stays on ${source.name}`;
      steps[2] = { ...steps[2]!, status: 'failed', message: reason };
      steps[3] = { ...steps[3]!, status: 'skipped' };
      await ctx.progress(0, reason, { steps: [...steps] }).catch(() => undefined);
      // The row and the task end together (the portal shows the row's status, clients the task's);
      // the hosts' fresh listings put the VM back to its ordinary state right after.
      await this.finishRow(id, cancelled ? MigrationStatus.Cancelled : MigrationStatus.Failed, {
        error: reason,
      });
      void this.resync(vm, source, target);
      if (cancelled) {
        await this.tasks
          .cancel(id, `${err.message}; the VM keeps running on ${source.name}`)
          .catch(() => undefined);
      }
      throw new DomainError(err instanceof AgentCommandError ? apiCodeOf(err) : ErrorCode.Internal, reason);
    }
    // One update for both steps: this is the path every migration's last second takes.
    const done = `libvirt completed the migration in ${result.durationMs} ms`;
    const waiting = `waiting for ${target.name} to report it running and ${source.name} to release it`;
    steps[2] = { ...steps[2]!, status: 'done', message: done };
    steps[3] = { ...steps[3]!, status: 'running', message: waiting };
    // The target usually reported the VM running during the switch-over already.
    const [, released] = await Promise.all([
      ctx.progress(99, `${done}; ${waiting}`, { steps: [...steps] }).catch(() => undefined),
      new MigrationOwnership(this.db.manager).sourceReleased({
        id,
        source_host_id: source.id,
        target_host_id: target.id,
      }),
    ]);
    if (released.patch?.hostId === target.id) await this.vmSync.patchVm(vm.id, released.patch);
    const [confirmed, row] = await Promise.all([this.confirmOwnership(vm.id, source, target), this.get(id)]);
    if (!confirmed) {
      const reason = `libvirt completed the migration but the hosts did not confirm the move within ${OWNERSHIP_CONFIRM_MS / 1000} s`;
      await this.finishRow(id, MigrationStatus.Failed, { error: reason });
      await this.resync(vm, source, target);
      throw new DomainError(ErrorCode.Timeout, reason);
    }
    const s = result.stats;
    const taskResult: MigrationTaskResult = {
      vmId: vm.id,
      sourceHostId: source.id,
      targetHostId: target.id,
      targetReason: plan.targetReason,
      policy: plan.policy,
      totalMs: s.totalMs ?? result.durationMs,
      downtimeMs: s.downtimeMs ?? null,
      dataTransferredBytes: s.dataProcessed ?? null,
      memoryTotalBytes: s.memoryTotal ?? null,
      iterations: s.iteration ?? null,
      postcopyUsed: result.postcopyUsed,
      progressSamples: Math.max(row.progressSamples, result.samples),
      stats: s,
    };
    steps[3] = { ...steps[3]!, status: 'done', message: `VM now runs on ${target.name}` };
    // Independent writes: side by side, the task ends one round trip after them.
    await Promise.all([
      this.finishRow(id, MigrationStatus.Succeeded, { result: taskResult }),
      ctx.progress(100, `migrated to ${target.name}`, { steps: [...steps] }).catch(() => undefined),
      this.events.record({
        type: 'vm.migrated',
        message:
          `VM ${vm.name} migrated from ${source.name} to ${target.name} in ${taskResult.totalMs} ms` +
          (taskResult.downtimeMs !== null ? ` (downtime ${taskResult.downtimeMs} ms)` : ''),
        refs: [vmRef(vm), hostRef(source), hostRef(target), { type: ObjectType.Task, id }],
        correlationId: meta.correlationId,
      }),
    ]);
    // Now that the row is final, let the inventory path refresh everything (graphics port…).
    void this.resync(vm, source, target);
    return taskResult as unknown as Record<string, unknown>;
  }

  /** Waits until the VM's owner is the target (set by VmStateSync from the hosts' reports): woken by
   * the VM's stream messages, re-read every second in case one was missed. */
  private async confirmOwnership(vmId: string, source: HostEntity, target: HostEntity): Promise<boolean> {
    let kicked = false;
    const owned = await waitUntil(
      this.stream.messages,
      (m) => (m.type === 'vm.status' || m.type === 'object.updated') && m.object.id === vmId,
      async () => ((await this.vms.findOneBy({ id: vmId }))?.hostId === target.id ? true : undefined),
      {
        timeoutMs: OWNERSHIP_CONFIRM_MS,
        recheckMs: OWNERSHIP_RECHECK_MS,
        onWait: (elapsedMs) => {
          if (kicked || elapsedMs < 2000) return;
          // Events should have told us already; ask both hosts for a full listing.
          kicked = true;
          void this.resync(undefined, source, target);
        },
      },
    );
    return owned === true;
  }

  private async resync(_vm: VmEntity | undefined, source: HostEntity, target: HostEntity): Promise<void> {
    await Promise.all(
      [source, target].map((h) =>
        this.bus
          .post(h.id, 'host.refresh', {})
          .catch((e: Error) => this.logger.debug(`refresh ${h.name}: ${e.message}`)),
      ),
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
    await this.db
      .query(
        `UPDATE vm_migration SET progress = $2, progress_samples = progress_samples + 1 WHERE id = $1 AND status = 'running'`,
        [id, JSON.stringify(progress)],
      )
      .catch((e: Error) => this.logger.debug(`progress of migration ${id} not stored: ${e.message}`));
  }

  private async finishRow(
    id: string,
    status: MigrationStatus,
    set: { error?: string; result?: MigrationTaskResult },
  ): Promise<void> {
    await this.repo.update({ id, status: MigrationStatus.Running }, {
      status,
      finishedAt: new Date(),
      ...set,
    } as never);
  }

  /** The canceller of `vm.migrate` tasks: aborts the job on the source; the task becomes `cancelled`
   * when the agent reports the migration stopped (the VM keeps running on the source). */
  private async cancelTask(task: Task, reason: string): Promise<void> {
    const row = await this.repo.findOneBy({ id: task.id });
    if (!row || row.status !== MigrationStatus.Running)
      throw invalidState(`migration ${task.id} is not running`, [
        { reason: 'not running', ref: { type: ObjectType.Task, id: task.id } },
      ]);
    try {
      await this.bus.send(row.sourceHostId, 'vm.migrate-abort', { uuid: row.vmId, reason });
    } catch (e) {
      throw fromAgentError(e, 'could not abort the migration');
    }
    // Usually final within a second; answer with the task as it is after a short wait.
    await this.tasks.wait(task.id, 10_000);
  }

  /** For maintenance: the VMs of a host that are still where they were. */
  async vmsOn(hostId: string): Promise<VmEntity[]> {
    return this.vms.find({ where: { hostId }, order: { name: 'ASC' } });
  }

  async waitForTask(id: string, timeoutMs: number): Promise<Task> {
    const deadline = Date.now() + timeoutMs;
    let task = await this.tasks.get(id);
    while (!isFinal(task.status) && Date.now() < deadline)
      task = await this.tasks.wait(id, Math.min(60_000, deadline - Date.now()));
    return task;
  }

  async recordEvent(
    severity: EventSeverity,
    type: string,
    message: string,
    refs: ObjectRef[],
    correlationId?: string,
  ) {
    await this.events.record({ severity, type, message, refs, correlationId });
  }
}
