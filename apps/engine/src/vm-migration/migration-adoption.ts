import { ErrorCode, MigrationStatus, ObjectType, TaskStep } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { HostRepository } from '../hosts/host.repository';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import type { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { MigrationParties, MIGRATE_TASK, migrationJobId } from './migration-task';
import { MigrationSettlement } from './migration-settlement';
import { VmMigrationEntity } from './vm-migration.entity';
import { describePlacement, Placement } from './migration-end';
import { MigrationRepository } from './migration.repository';

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
    private readonly migrations: MigrationSettlement,
    @InjectRepository(VmMigrationEntity) private readonly rows: Repository<VmMigrationEntity>,
    private readonly migrationRows: MigrationRepository,
    private readonly vms: VmRepository,
    private readonly hosts: HostRepository,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(MIGRATE_TASK, (ctx, cp) => this.adopt(ctx, cp));
    // Rows whose task ended without them (an engine that stopped before adoption existed, or an
    // interrupted task) are no longer running. After each sweep, so the tasks it ends are seen.
    this.tasks.registerSweepHook(() => this.migrationRows.closeStaleRows());
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
    const { vm, source } = parties;
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
    return this.migrations.settleByHosts(ctx, parties, steps, outcome, row, async (where) => {
      throw this.unknowable(
        vm,
        where,
        outcome.state === 'completed'
          ? 'libvirt completed the migration'
          : `the migration job is ${outcome.state}`,
      );
    });
  }

  private unknowable(vm: VmEntity, where: Placement, what: string): TaskUnknowable {
    return new TaskUnknowable(
      `the engine running this migration stopped; ${what}, but the hosts do not show one owner ` +
        `(${describePlacement(where)}); check where VM ${vm.name} runs`,
    );
  }

  private async parties(row: VmMigrationEntity): Promise<MigrationParties> {
    const [vm, source, target] = await Promise.all([
      this.vms.find(row.vmId),
      this.hosts.find(row.sourceHostId),
      this.hosts.find(row.targetHostId),
    ]);
    if (!vm || !source || !target)
      throw new DomainError(ErrorCode.NotFound, `the VM or a host of migration ${row.id} no longer exists`, [
        { reason: 'gone', ref: { type: ObjectType.Task, id: row.id } },
      ]);
    return { vm, source, target };
  }
}
