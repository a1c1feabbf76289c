import { ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { RequestMeta } from '../common/http/request-meta';
import { EventsService } from '../events/events.service';
import { ChangeNotifier, refOf } from '../inventory/inventory.service';
import { StreamService } from '../stream/stream.service';
import { TasksService } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmEntity } from '../vms/vm.entity';

/** Templates: stopped VMs frozen as the source of new VMs. A template never starts again (the VM
 * state table refuses it); thin VMs keep it from being deleted (409 has_children naming them). */
@Injectable()
export class TemplatesService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly ops: VmGuard,
    private readonly tasks: TasksService,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  async makeTemplate(id: string, meta: RequestMeta): Promise<VmEntity> {
    const vm = await this.ops.vm(id);
    this.ops.guard(vm, 'make-template');
    // A short task holding the VM: refused while another operation runs on it, and none starts meanwhile.
    const task = { type: 'vm.make-template', target: refOf(ObjectType.Vm, vm), requestedBy: meta.actor };
    const saved = await this.tasks.exclusive({ ...task, correlationId: meta.correlationId }, async () => {
      // Conditional update: a start that raced with this request wins, and this one is refused.
      const res = await this.ops.vms
        .createQueryBuilder()
        .update()
        .set({ isTemplate: true })
        .where('id = :id AND status = :status AND is_template = false', { id, status: vm.status })
        .execute();
      const after = await this.ops.vm(id);
      if (!res.affected) this.ops.guard(after, 'make-template');
      return after;
    });
    await this.notify.updated(ObjectType.Vm, saved, ['isTemplate'], meta, [
      { type: ObjectType.Cluster, id: saved.clusterId },
    ]);
    return saved;
  }
}
