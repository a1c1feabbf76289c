import { ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { TaskCheckpoint } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { DELETE_TASK, VmDeleteService } from './vm-delete.service';

/**
 * Adopts VM delete tasks of a dead engine. Undefining the domain is the step that cannot be taken
 * back: libvirt no longer knowing the domain → the rest of the delete is done (disks detached or
 * deleted with their volumes, records removed; each step idempotent) → succeeded. The domain still
 * defined → nothing is deleted: failed, with the state libvirt shows (the delete may have powered it off).
 */
@Injectable()
export class VmDeleteAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
    private readonly deletes: VmDeleteService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(DELETE_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host } = await this.probe.target(ctx, cp);
    const { state } = await this.probe.domain(vm, host);
    if (state !== 'absent')
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine deleting VM ${vm.name} stopped before it was undefined; libvirt on ${host.name} shows it ${state} and nothing was deleted; delete it again`,
      );
    await ctx.progress(
      60,
      `engine stopped; VM ${vm.name} is undefined on ${host.name}: removing its records`,
    );
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    return this.deletes.forgetDeleted(vm, cp.withDisks === true, host, meta);
  }
}
