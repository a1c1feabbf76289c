import { Injectable, OnModuleInit } from '@nestjs/common';
import { TaskCheckpoint } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { changedFields } from '../crud/inventory.service';
import { UpdateVmDto } from '../vms/vm.dto';
import { VmsService } from '../vms/vms.service';
import { EDIT_TASK, EditPlan, VmEditService } from './vm-edit.service';

/**
 * Adopts VM edits (`vm.edit`, a short task run inside its request) of a dead engine. Every step of an
 * edit is idempotent (`vm.configure` sets values, `setmem --live` a size): the adopter applies the
 * recorded plan again, so the host and the records end as the request asked (succeeded), or fails
 * with the host's refusal.
 */
@Injectable()
export class VmEditAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
    private readonly edits: VmEditService,
    private readonly vms: VmsService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(EDIT_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm: before, host } = await this.probe.target(ctx, cp);
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    const dto = cp.dto as UpdateVmDto;
    const vm = await this.edits.applyEdit(host, dto, cp.plan as EditPlan, meta);
    // The dead engine wrote the records but did not announce them (it died in between): applying the
    // edit again changed no record, so nothing told the live stream; it is told here.
    const asked = Object.keys(dto).filter((k) => dto[k as keyof UpdateVmDto] !== undefined);
    if (asked.length && !changedFields(before, dto).length) await this.vms.announceUpdated(vm, asked, meta);
    return { vmId: vm.id, name: vm.name, vcpus: vm.vcpus, memoryMib: vm.memoryMib };
  }
}
