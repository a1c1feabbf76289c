import { MigrationStatus, ObjectType, Task } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { fromAgentError } from '../agents/agent-error.mapping';
import { CommandBus } from '../agents/command-bus.service';
import { invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { TasksService } from '../tasks/tasks.service';
import { VmRepository } from '../vms/vm.repository';
import { MigrationRepository, vmRef } from './migration.repository';
import { VmMigrationEntity } from './vm-migration.entity';
import { MIGRATE_TASK } from './migration-task';

/** Cancelling a migration: `POST /vms/{id}/migrate/cancel` and the canceller of `vm.migrate` tasks. */
@Injectable()
export class MigrationCancel implements OnModuleInit {
  constructor(
    @InjectRepository(VmMigrationEntity) private readonly repo: Repository<VmMigrationEntity>,
    private readonly vms: VmRepository,
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly migrations: MigrationRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.tasks.registerCanceller(MIGRATE_TASK, (task, reason) => this.cancelTask(task, reason));
  }

  /** `POST /vms/{id}/migrate/cancel`. */
  async cancelForVm(vmId: string, meta: RequestMeta): Promise<Task> {
    const vm = await this.vms.byId(vmId);
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    const activeId = await this.migrations.activeIdOf(vmId);
    const active = activeId ? await this.repo.findOneBy({ id: activeId }) : null;
    if (!active)
      throw invalidState(`VM ${vm.name} is not migrating`, [
        { reason: 'no migration running', ref: vmRef(vm) },
      ]);
    return this.tasks.requestCancel(active.id, meta.actor);
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
}
