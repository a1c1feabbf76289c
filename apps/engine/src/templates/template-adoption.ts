import { ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { MAKE_TEMPLATE_PHASE, MAKE_TEMPLATE_TASK, TemplatesService } from './templates.service';

/**
 * Adopts make-template tasks (run inside their request) of a dead engine. The conversion is one
 * database update: not made → failed (nothing changed). Made with a new name → the domain's rename
 * (idempotent) is applied again: done → succeeded; refused → the VM is put back as it was (failed).
 */
@Injectable()
export class TemplateAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
    private readonly ops: VmGuard,
    private readonly templates: TemplatesService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(MAKE_TEMPLATE_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    if (cp.phase !== MAKE_TEMPLATE_PHASE) throw new TaskUnknowable(`unexpected checkpoint ${cp.phase}`);
    const vm = await this.ops.vm(ctx.task.target!.id);
    if (!vm.isTemplate)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped before VM ${vm.name} was made a template; nothing changed: make it a template again`,
      );
    const name = cp.name as string | null;
    if (name && cp.hostId) {
      const { host } = await this.probe.target(ctx, cp);
      await this.templates.renameDomain(
        host,
        vm.id,
        name,
        cp.before as { name: string; description: string },
      );
    }
    // The dead engine announced the conversion only after its task: an adopted one is announced here.
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    const fields = Array.isArray(cp.fields) ? (cp.fields as string[]) : ['isTemplate'];
    const after = await this.ops.vm(vm.id);
    await this.templates.announce(after, fields, meta);
    return { vmId: after.id, name: after.name, isTemplate: true };
  }
}
