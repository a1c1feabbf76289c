import {
  ErrorCode,
  MigrationCommandResult,
  MigrationStatus,
  ObjectType,
  TaskStep,
} from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { domainOn, DomainPresence } from '../tasks/domain-probe';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { MigrationParties, MIGRATE_TASK, migrationJobId, VmMigrationService } from './vm-migration.service';
import { VmMigrationEntity } from './vm-migration.entity';

/** How long the hosts get to show one owner after the job ended (domains settle within seconds). */
const SETTLE_MS = 20_000;
const SETTLE_RECHECK_MS = 1_000;

/**
 * Adopts `vm.migrate` tasks of a dead engine. The source agent keeps migrating when the engine dies,
 * so the adopter first re-attaches to the agent's job (waiting while it runs), then asks both hosts
 * where libvirt runs the VM, and ends the row and the task the way the original engine would have:
 * succeeded (VM owned by the target), failed/cancelled (VM still on the source), or interrupted when
 * the hosts cannot tell (one did not answer, or both or neither run it).
 */
@Injectable()
export class MigrationAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly migrations: VmMigrationService,
    @InjectRepository(VmMigrationEntity) private readonly rows: Repository<VmMigrationEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(MIGRATE_TASK, (ctx, cp) => this.adopt(ctx, cp));
    // Rows whose task ended without them (an engine that stopped before adoption existed, or an
    // interrupted task) are no longer running. After each sweep, so the tasks it ends are seen.
    this.tasks.registerSweepHook(() => this.closeStaleRows());
  }

  async closeStaleRows(): Promise<void> {
    await this.db.query(
      `UPDATE vm_migration m SET status = 'failed', finished_at = now(),
          error = COALESCE(m.error, 'the engine running this migration stopped; check where the VM runs')
        FROM task t WHERE t.id = m.id AND m.status = 'running' AND t.status NOT IN ('queued', 'running')`,
    );
  }

  private async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const id = ctx.task.id;
    const row = await this.rows.findOneBy({ id });
    if (!row) throw new TaskUnknowable(`migration ${id} has no record; check where the VM runs`);
    // The engine died between ending the row and ending the task: the row's outcome stands.
    if (row.status === MigrationStatus.Succeeded) return { ...row.result };
    if (row.status === MigrationStatus.Cancelled) {
      await this.tasks.cancel(id, row.error ?? 'cancelled');
      return {};
    }
    if (row.status === MigrationStatus.Failed)
      throw new DomainError(ErrorCode.Unprocessable, row.error ?? 'the migration failed');
    const parties = await this.parties(row);
    const { vm, source, target } = parties;
    const steps: TaskStep[] = ctx.task.steps.map((s) => ({ ...s }));
    await ctx
      .progress(
        ctx.task.progress,
        `engine stopped; asking ${source.name} how the migration of ${vm.name} ends`,
      )
      .catch(() => undefined);
    const jobId = typeof cp.jobId === 'string' ? cp.jobId : migrationJobId(id);
    // Waits while the agent still migrates: the adopted task ends when the migration really ends.
    const outcome = await this.bus.attach(source.id, 'vm.migrate', jobId);
    const where = await this.settledPlacement(vm.id, source, target);
    const end = migrationEnd(outcome.state, where);
    if (end === 'succeeded') {
      const result: MigrationCommandResult =
        outcome.state === 'completed'
          ? outcome.result
          : {
              stats: { elapsedMs: Date.now() - row.createdAt.getTime() },
              postcopyUsed: false,
              samples: row.progressSamples,
              durationMs: Date.now() - row.createdAt.getTime(),
            };
      return this.migrations.settleSucceeded(ctx, parties, steps, result, row);
    }
    if (end === 'failed') {
      // The hosts have shown where the VM is: a lost command is a failure here, not an unknown.
      const err =
        outcome.state === 'failed' && !['command_lost', 'outcome_unknown'].includes(outcome.error.code)
          ? outcome.error
          : new AgentCommandError({
              code: 'internal',
              message:
                outcome.state === 'failed'
                  ? `${outcome.error.message}, and the VM still runs here`
                  : 'the migration job is gone and the VM still runs here',
            });
      return this.migrations.settleFailed(ctx, parties, steps, err);
    }
    throw this.unknowable(
      vm,
      where,
      outcome.state === 'completed'
        ? 'libvirt completed the migration'
        : `the migration job is ${outcome.state}`,
    );
  }

  /** Where libvirt has the VM once the domains settled: the target's incoming domain is paused
   * until the switch-over, the source's is gone or shut off after it. */
  private async settledPlacement(vmId: string, source: HostEntity, target: HostEntity) {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const [s, t] = await Promise.all([
        domainOn(this.bus, source.id, vmId),
        domainOn(this.bus, target.id, vmId),
      ]);
      if (migrationEnd('missing', { source: s, target: t }) !== 'unknown' || Date.now() > deadline)
        return { source: s, target: t };
      await new Promise((r) => setTimeout(r, SETTLE_RECHECK_MS));
    }
  }

  private unknowable(
    vm: VmEntity,
    where: { source: DomainPresence; target: DomainPresence },
    what: string,
  ): TaskUnknowable {
    const say = (p: DomainPresence) => ('why' in p ? `unknown (${p.why})` : p.state);
    return new TaskUnknowable(
      `the engine running this migration stopped; ${what}, but the hosts do not show one owner ` +
        `(source: ${say(where.source)}, target: ${say(where.target)}); check where VM ${vm.name} runs`,
    );
  }

  private async parties(row: VmMigrationEntity): Promise<MigrationParties> {
    const [vm, source, target] = await Promise.all([
      this.db.manager.findOneBy(VmEntity, { id: row.vmId }),
      this.db.manager.findOneBy(HostEntity, { id: row.sourceHostId }),
      this.db.manager.findOneBy(HostEntity, { id: row.targetHostId }),
    ]);
    if (!vm || !source || !target)
      throw new DomainError(ErrorCode.NotFound, `the VM or a host of migration ${row.id} no longer exists`, [
        { reason: 'gone', ref: { type: ObjectType.Task, id: row.id } },
      ]);
    return { vm, source, target };
  }
}

/**
 * How an adopted migration ended, from the job's outcome and where libvirt has the VM. Only one
 * owner counts: running on the target and not on the source → succeeded (whatever the job says: its
 * result may be lost); running on the source with no domain on the target → failed (after a job that
 * completed that cannot be, so it is unknown); anything else → unknown.
 */
export function migrationEnd(
  job: 'completed' | 'failed' | 'missing',
  where: { source: DomainPresence; target: DomainPresence },
): 'succeeded' | 'failed' | 'unknown' {
  const { source, target } = where;
  // A silent source cannot be ruled out as a second runner, unless its agent reported libvirt done.
  if (
    target.state === 'running' &&
    source.state !== 'running' &&
    (source.state !== 'unknown' || job === 'completed')
  )
    return 'succeeded';
  if (job !== 'completed' && source.state === 'running' && target.state === 'absent') return 'failed';
  return 'unknown';
}
