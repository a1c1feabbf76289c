import {
  ErrorCode,
  MigrationCommandResult,
  MigrationStatus,
  MigrationTaskResult,
  ObjectType,
  TaskStep,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { apiCodeOf } from '../agents/agent-error.mapping';
import { AttachedOutcome, CommandBus } from '../agents/command-bus.service';
import { VmStateSyncService } from '../agents/vm-state-sync.service';
import { EngineMetrics } from '../common/metrics/engine-metrics';
import { DomainError, notFound } from '../common/errors/domain-error';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { waitUntil } from '../stream/wait-until';
import { HostEntity } from '../hosts/host.entity';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { migrationEnd, Placement, settledPlacement } from './migration-end';
import { MigrationOwnership } from '../vm-ownership/migration-ownership';
import { MigrationPlan } from './migration-planner';
import { hostRef, MigrationRepository, vmRef } from './migration.repository';
import { VmMigrationEntity } from './vm-migration.entity';
import { isCancellation, MigrationParties } from './migration-task';

/** After libvirt reports success, how long the hosts have to confirm the move (target running,
 * source gone) before the task fails. */
const OWNERSHIP_CONFIRM_MS = 30_000;
const OWNERSHIP_RECHECK_MS = 1_000;

/**
 * How a migration ends: the row, the task, the VM record and the events once libvirt answered (or an
 * adopting engine asked the hosts), with the ownership rule (see vm-ownership/migration-ownership.ts).
 */
@Injectable()
export class MigrationSettlement {
  private readonly logger = new Logger('VmMigration');

  constructor(
    @InjectRepository(VmMigrationEntity) private readonly repo: Repository<VmMigrationEntity>,
    private readonly vms: VmRepository,
    private readonly facts: MigrationRepository,
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly vmSync: VmStateSyncService,
    private readonly events: EventsService,
    private readonly stream: StreamService,
    @Optional() private readonly metrics?: EngineMetrics,
  ) {}

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
      await new MigrationOwnership(this.facts).targetRunning(ctx.task.id);
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
      new MigrationOwnership(this.facts).sourceReleased({
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
      async () => ((await this.vms.byId(vmId))?.hostId === target.id ? true : undefined),
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

  private async get(id: string): Promise<VmMigrationEntity> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw notFound('migration', id);
    return m;
  }
}

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
