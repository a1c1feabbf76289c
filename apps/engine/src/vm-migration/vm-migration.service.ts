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
import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { apiCodeOf, fromAgentError } from '../agents/agent-error.mapping';
import { AttachedOutcome, CommandBus } from '../agents/command-bus.service';
import { VmStateSyncService } from '../agents/vm-state-sync.service';
import { ConcurrencyLimit } from '../common/concurrency-limit';
import { EngineMetrics } from '../common/metrics/engine-metrics';
import { whileDatabaseAway } from '../common/errors/database-unavailable';
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
import { describePlacement, migrationEnd, Placement, settledPlacement } from './migration-end';
import { MigrationFactsRepository } from '../vm-ownership/migration-facts.repository';
import { MigrationOwnership } from '../vm-ownership/migration-ownership';
import { MigrationPlan, MigrationPlanner } from './migration-planner';
import { hostRef, MigrationRepository, vmRef } from './migration.repository';
import { Reservations } from './migration-scheduler';
import { MigrateVmDto, MigrationListQuery } from './vm-migration.dto';
import { VmMigrationEntity } from './vm-migration.entity';

export const MIGRATE_TASK = 'vm.migrate';
/** The source agent's `vm.migrate` job of a migration: an adopting engine re-attaches to it. */
export const migrationJobId = (taskId: string) => `${taskId}-migrate`;

export interface MigrationParties {
  vm: VmEntity;
  source: HostEntity;
  target: HostEntity;
}
/** Engine defaults for what Cluster.migrationPolicy does not carry. */
/** After libvirt reports success, how long the hosts have to confirm the move (target running,
 * source gone) before the task fails. */
const OWNERSHIP_CONFIRM_MS = 30_000;
const OWNERSHIP_RECHECK_MS = 1_000;
/** How long settling a migration waits out a database outage (a Postgres restart or failover). */
const SETTLE_MAX_WAIT_MS = 2 * 60_000;

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
 * (see vm-ownership/migration-ownership.ts).
 */
@Injectable()
export class VmMigrationService implements OnModuleInit {
  private readonly logger = new Logger('VmMigration');
  /** Pre-checks hold a transaction (the VM's lock) while the planner reads on other connections. */
  private readonly checking: ConcurrencyLimit;

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
    private readonly migrations: MigrationRepository,
    @Optional() private readonly metrics?: EngineMetrics,
  ) {
    this.checking = new ConcurrencyLimit(Math.max(1, Math.floor(config.databasePoolSize / 3)));
  }

  async onModuleInit(): Promise<void> {
    this.tasks.registerCanceller(MIGRATE_TASK, (task, reason) => this.cancelTask(task, reason));
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

  /**
   * Takes the VM's task lock, checks everything under it, then starts the `vm.migrate` task (202).
   * Locking before the pre-checks ask the hosts means an operation racing this one (a delete
   * destroying the domain) either waits for the checks and is refused naming this task, or took the
   * VM first and this request is refused naming it; a failed pre-check rolls the task back unseen.
   */
  async migrate(
    vmId: string,
    dto: MigrateVmDto,
    meta: RequestMeta,
    reservations?: Reservations,
  ): Promise<Task> {
    const vm = await this.vms.findOneBy({ id: vmId });
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    const steps: TaskStep[] = [
      { name: 'select target', status: 'pending' },
      { name: 'pre-checks', status: 'pending' },
      { name: 'migrate', status: 'pending' },
      { name: 'confirm new owner', status: 'pending' },
    ];
    let plan: MigrationPlan | undefined;
    const task = await this.checking.run(() =>
      this.db.transaction(async (em) => {
        const created = await this.tasks.create(
          MIGRATE_TASK,
          vmRef(vm),
          meta.actor,
          meta.correlationId,
          steps,
          {
            manager: em,
            verify: async () => {
              plan = await this.planner.plan(vmId, dto, reservations);
              await this.admit(plan, em);
              steps[0] = { ...steps[0]!, status: 'done', message: plan.targetReason };
              steps[1] = {
                ...steps[1]!,
                status: 'done',
                message: 'running, devices, CPU, memory, storage, networks',
              };
            },
            describeSteps: () => steps,
          },
        );
        const { source, target } = plan!;
        await em.insert(VmMigrationEntity, {
          id: created.id,
          vmId: vm.id,
          sourceHostId: source.id,
          targetHostId: target.id,
          status: MigrationStatus.Running,
          policy: plan!.policy,
          targetReason: plan!.targetReason,
          progress: null,
          progressSamples: 0,
          result: null,
          error: null,
          targetRunningAt: null,
          sourceGoneAt: null,
          finishedAt: null,
        });
        return created;
      }),
    );
    return this.start(task, plan!, steps, meta);
  }

  /** The per-VM and per-host migration limits, counted under the fleet-wide admission lock that the
   * transaction holds until the migration row is written. */
  private async admit({ vm, source, target }: MigrationPlan, em: EntityManager): Promise<void> {
    await this.migrations.lockAdmission(em);
    const counts = await this.migrations.admissionCounts(vm.id, source.id, target.id, em);
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
  }

  /** `POST /vms/{id}/migrate/cancel`. */
  async cancelForVm(vmId: string, meta: RequestMeta): Promise<Task> {
    const vm = await this.vms.findOneBy({ id: vmId });
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    const activeId = await this.migrations.activeIdOf(vmId);
    const active = activeId ? await this.repo.findOneBy({ id: activeId }) : null;
    if (!active)
      throw invalidState(`VM ${vm.name} is not migrating`, [
        { reason: 'no migration running', ref: vmRef(vm) },
      ]);
    return this.tasks.requestCancel(active.id, meta.actor);
  }

  // ---- running ----

  private async start(task: Task, plan: MigrationPlan, steps: TaskStep[], meta: RequestMeta): Promise<Task> {
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
      if (isCancellation(err)) return this.settleFailed(ctx, parties, steps, err);
      // A failed or lost command is not libvirt's last word (QEMU may finish a move whose virsh
      // connection was cut): the hosts say how it ended.
      return whileDatabaseAway(
        () =>
          this.settleByHosts(ctx, parties, steps, { state: 'failed', error: err }, plan, (where) =>
            this.settleFailed(
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
      () => this.settleSucceeded(ctx, { vm, source, target }, steps, result, plan),
      SETTLE_MAX_WAIT_MS,
    );
  }

  /**
   * The migrate command did not report success (it failed, its result was lost, or an adopting
   * engine found the job ended or gone), or an adopting engine needs libvirt's word anyway: both
   * hosts are asked where the VM runs and the task ends in that true state, the VM record with it —
   * succeeded when the target runs it, failed when the source still does. When they do not show one
   * owner, `unknown` decides.
   */
  async settleByHosts(
    ctx: TaskContext,
    parties: MigrationParties,
    steps: TaskStep[],
    outcome: AttachedOutcome<'vm.migrate'>,
    plan: Pick<MigrationPlan, 'targetReason' | 'policy'>,
    unknown: (where: Placement) => Promise<never>,
  ): Promise<Record<string, unknown>> {
    const { vm, source, target } = parties;
    const where = await settledPlacement(this.bus, vm.id, source.id, target.id);
    const end = migrationEnd(outcome.state, where);
    if (end === 'succeeded') {
      // Seen running there just now: the move needs no report from a target whose libvirtd restarted.
      await new MigrationOwnership(new MigrationFactsRepository(this.db.manager)).targetRunning(ctx.task.id);
      const result =
        outcome.state === 'completed' ? outcome.result : inferredResult(await this.get(ctx.task.id));
      return this.settleSucceeded(ctx, parties, steps, result, plan);
    }
    if (end === 'failed') return this.settleFailed(ctx, parties, steps, failureOf(outcome), true);
    return unknown(where);
  }

  /** The migration failed (or was cancelled): the VM stays on the source; the row and the task end.
   * `runsOnSource`: the source was just seen running it, so the VM record says so at once. */
  async settleFailed(
    ctx: TaskContext,
    { vm, source, target }: MigrationParties,
    steps: TaskStep[],
    err: AgentCommandError,
    runsOnSource = false,
  ): Promise<never> {
    const id = ctx.task.id;
    const cancelled = isCancellation(err);
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
    // After the row ended, so a report handled meanwhile cannot mark it migrating again.
    if (runsOnSource)
      await this.vmSync.patchVm(vm.id, {
        status: VmStatus.Up,
        statusReason: `migration to ${target.name} failed`,
        hostId: source.id,
      });
    void this.resync(vm, source, target);
    if (cancelled) {
      await this.tasks
        .cancel(id, `${err.message}; the VM keeps running on ${source.name}`)
        .catch(() => undefined);
    }
    throw new DomainError(err instanceof AgentCommandError ? apiCodeOf(err) : ErrorCode.Internal, reason);
  }

  /** libvirt completed the migration: wait until the hosts confirm the new owner, then end the row
   * and the task with the statistics. */
  async settleSucceeded(
    ctx: TaskContext,
    { vm, source, target }: MigrationParties,
    steps: TaskStep[],
    result: MigrationCommandResult,
    plan: Pick<MigrationPlan, 'targetReason' | 'policy'>,
  ): Promise<Record<string, unknown>> {
    const id = ctx.task.id;
    // One update for both steps: this is the path every migration's last second takes.
    const done = `libvirt completed the migration in ${result.durationMs} ms`;
    const waiting = `waiting for ${target.name} to report it running and ${source.name} to release it`;
    steps[2] = { ...steps[2]!, status: 'done', message: done };
    steps[3] = { ...steps[3]!, status: 'running', message: waiting };
    // The target usually reported the VM running during the switch-over already.
    const [, released] = await Promise.all([
      ctx.progress(99, `${done}; ${waiting}`, { steps: [...steps] }).catch(() => undefined),
      new MigrationOwnership(new MigrationFactsRepository(this.db.manager)).sourceReleased({
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
    this.metrics?.migrationSucceeded(taskResult.totalMs, taskResult.downtimeMs);
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
        correlationId: ctx.task.correlationId ?? undefined,
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

  async resync(_vm: VmEntity | undefined, source: HostEntity, target: HostEntity): Promise<void> {
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
    await this.migrations
      .recordProgress(id, progress)
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

const isCancellation = (err: Error) => /^migration cancelled/i.test(err.message);

/** The statistics of a migration whose command result is lost: what the row recorded. */
function inferredResult(row: VmMigrationEntity): MigrationCommandResult {
  const elapsedMs = Date.now() - row.createdAt.getTime();
  return { stats: { elapsedMs }, postcopyUsed: false, samples: row.progressSamples, durationMs: elapsedMs };
}

/** The error a migration that failed ends with once the hosts showed the VM still on the source: a
 * lost command is a failure then, not an unknown. */
function failureOf(outcome: AttachedOutcome<'vm.migrate'>): AgentCommandError {
  if (outcome.state === 'failed' && !['command_lost', 'outcome_unknown'].includes(outcome.error.code))
    return outcome.error;
  return new AgentCommandError({
    code: 'internal',
    message:
      outcome.state === 'failed'
        ? `${outcome.error.message}, and the VM still runs on the source`
        : 'the migration job is gone and the VM still runs on the source',
  });
}
