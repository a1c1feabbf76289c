import { ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { domainOn } from '../agents/domain-probe';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmRepository } from '../vms/vm.repository';
import { CLONE_TASKS, CloneMode, ClonesService, cloneJobId } from './clones.service';

/**
 * Adopts clone tasks (full, from a template, thin) of a dead engine. The agent keeps copying when the
 * engine dies: the adopter re-attaches to its `vm.clone` job and ends the task as the original would
 * have (copy recorded, or records removed on failure). When Redis no longer has the job, the host
 * decides: the new domain defined → succeeded; absent → failed, records removed.
 */
@Injectable()
export class CloneAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly clones: ClonesService,
    private readonly vms: VmRepository,
  ) {}

  onModuleInit(): void {
    for (const type of CLONE_TASKS) this.tasks.registerAdopter(type, (ctx, cp) => this.adopt(ctx, cp));
  }

  private async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const hostId = cp.hostId as string;
    const mode = cp.mode as CloneMode;
    const vm = await this.vms.byId(ctx.task.target!.id);
    if (!vm) throw new DomainError(ErrorCode.Internal, 'the clone failed and its records were removed');
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    await ctx
      .progress(ctx.task.progress, `engine stopped; waiting for the host to finish copying ${vm.name}`)
      .catch(() => undefined);
    const outcome = await this.bus.attach(
      hostId,
      'vm.clone',
      (cp.jobId as string) ?? cloneJobId(ctx.task.id),
    );
    if (outcome.state === 'completed') return this.clones.cloned(vm.id, hostId, mode, outcome.result);
    if (outcome.state === 'failed') {
      await this.clones.forget(vm, meta);
      throw new DomainError(ErrorCode.Unprocessable, `vm.clone failed: ${outcome.error.message}`);
    }
    const presence = await domainOn(this.bus, hostId, vm.id);
    if ('why' in presence)
      throw new TaskUnknowable(
        `the engine cloning ${vm.name} stopped and its host does not answer (${presence.why}); check the VM there`,
      );
    if (presence.state !== 'absent') return this.clones.cloned(vm.id, hostId, mode, { macs: [], disks: [] });
    await this.clones.forget(vm, meta);
    throw new DomainError(
      ErrorCode.Internal,
      `the engine cloning ${vm.name} stopped before its host made the copy; the records were removed, clone it again`,
    );
  }
}
