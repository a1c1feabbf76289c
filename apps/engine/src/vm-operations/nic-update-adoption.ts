import { Injectable, OnModuleInit } from '@nestjs/common';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { NicChange, UPDATE_NIC_TASK, VmNicUpdateService } from './vm-nic-update.service';

/**
 * Adopts a NIC change (`vm.update-nic`) of a dead engine. The change was decided and checkpointed
 * before anything was sent, and both host commands (`update-device` of the whole interface,
 * `domif-setlink`) are idempotent: a step whose outcome the host kept decides (a refusal fails the
 * task, as it would have), a step never sent or whose outcome is lost is sent (again); then the
 * records follow. A change that needed no host only records.
 */
@Injectable()
export class NicUpdateAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
    private readonly checks: VmGuard,
    private readonly nicUpdate: VmNicUpdateService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(UPDATE_NIC_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const change = cp.change as NicChange | undefined;
    if (!change)
      throw new TaskUnknowable(
        'the engine changing this NIC stopped before it decided the change; send the change again',
      );
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    const step = change.step;
    if (!step) return this.nicUpdate.record(change, null, meta);
    const { host } = await this.probe.target(ctx, cp);
    let res: object | undefined = await this.probe.stepResult(host, step.command, cp.jobId);
    if (res === undefined) {
      await ctx.progress(ctx.task.progress, `sending the NIC change to ${host.name} (again)`);
      res = await this.checks.sendStep(
        host,
        step.command,
        step.payload as never,
        ctx,
        `${step.name}-adopted`,
      );
    }
    return this.nicUpdate.record(change, res, meta);
  }
}
