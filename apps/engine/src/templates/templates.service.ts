import { ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { conflict } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { TasksService } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmEntity } from '../vms/vm.entity';
import { MakeTemplateDto } from './template.dto';

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

  async makeTemplate(id: string, dto: MakeTemplateDto, meta: RequestMeta): Promise<VmEntity> {
    const vm = await this.ops.vm(id);
    this.ops.guard(vm, 'make-template');
    const name = dto.name !== undefined && dto.name !== vm.name ? dto.name : undefined;
    if (name && (await this.ops.vms.nameTaken(vm.datacenterId, name)))
      throw conflict(`a VM named ${name} already exists in this datacenter`, [
        { field: 'name', reason: 'already taken' },
      ]);
    // The libvirt domain carries the VM's name: a new name renames it on its host (503 if that is down).
    const host = name && vm.hostId && !vm.external ? await this.ops.hostOf(vm) : undefined;
    const fields = {
      isTemplate: true,
      ...(name ? { name } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
    };
    // A short task holding the VM: refused while another operation runs on it, and none starts meanwhile.
    const task = { type: MAKE_TEMPLATE_TASK, target: refOf(ObjectType.Vm, vm), requestedBy: meta.actor };
    const saved = await this.tasks.exclusive({ ...task, correlationId: meta.correlationId }, async (ctx) => {
      await ctx.checkpoint(MAKE_TEMPLATE_PHASE, {
        hostId: host?.id ?? null,
        name: name ?? null,
        before: { name: vm.name, description: vm.description },
        fields: Object.keys(fields),
      });
      // Conditional update: a start that raced with this request wins, and this one is refused.
      const turned = await this.ops.vms.turnIntoTemplate(id, vm.status, fields);
      const after = await this.ops.vm(id);
      if (!turned) this.ops.guard(after, 'make-template');
      if (host && name) await this.renameDomain(host, id, name, vm);
      return after;
    });
    await this.announce(saved, Object.keys(fields), meta);
    return saved;
  }

  /** `object.updated` for the VM made a template (also by an engine adopting the task). */
  async announce(vm: VmEntity, fields: string[], meta: RequestMeta): Promise<void> {
    await this.notify.updated(ObjectType.Vm, vm, fields, meta, [
      { type: ObjectType.Cluster, id: vm.clusterId },
    ]);
  }

  /** Renames the template's domain (idempotent); refused, the VM keeps its name and stays a VM. */
  async renameDomain(
    host: HostEntity,
    id: string,
    name: string,
    before: Pick<VmEntity, 'name' | 'description'>,
  ): Promise<void> {
    try {
      await this.ops.send(host, 'vm.configure', { uuid: id, name });
    } catch (err) {
      await this.ops.vms.undoTemplate(id, before);
      throw err;
    }
  }
}

export const MAKE_TEMPLATE_TASK = 'vm.make-template';
export const MAKE_TEMPLATE_PHASE = 'converting';
