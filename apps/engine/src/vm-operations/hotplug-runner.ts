import { ObjectRef, ObjectType, Task, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { HostEntity } from '../hosts/host.entity';
import { refOf } from '../crud/inventory.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { VmGuard } from '../vm-guard/vm-guard.service';

const ACTIVE_STATUSES: VmStatus[] = [VmStatus.Up, VmStatus.Paused];
/** Hot-plug task types (hotplug-adoption.ts settles them after an engine crash). */
export const HOTPLUG = {
  attachDisk: 'vm.attach-disk',
  detachDisk: 'vm.detach-disk',
  attachNic: 'vm.attach-nic',
  detachNic: 'vm.detach-nic',
  changeCdrom: 'vm.change-cdrom',
} as const;
/** A hot-plug's checkpoint: the host and the device it changes, written before the first host step. */
export const HOTPLUG_PHASE = 'hotplug';

/** What every hot-plug shares: the VM it may change (and its host), its task, whether it runs. */
@Injectable()
export class HotplugRunner {
  constructor(
    private readonly vms: VmsService,
    private readonly tasks: TasksService,
    private readonly checks: VmGuard,
  ) {}

  async target(id: string): Promise<{ vm: VmEntity; host: HostEntity | null }> {
    const vm = await this.vms.get(id);
    if (vm.external) {
      throw invalidState(`VM ${vm.name} is external: Kelpie does not manage its devices`, [
        { reason: 'external VM', ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
    this.checks.guard(vm, 'hotplug');
    const host = vm.hostId ? await this.checks.upHost(vm.hostId) : null;
    return { vm, host };
  }

  task(
    type: string,
    vm: VmEntity,
    meta: RequestMeta,
    work: (ctx: TaskContext) => Promise<Record<string, unknown>>,
    locks?: ObjectRef[],
  ): Promise<Task> {
    // The task locks the VM (and the disk it changes): a second operation on either is a 409.
    return this.tasks.launch(
      {
        type,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        locks,
        verify: this.checks.recheck(vm.id, 'hotplug'),
      },
      work,
    );
  }

  async isActive(id: string): Promise<boolean> {
    return ACTIVE_STATUSES.includes((await this.vms.get(id)).status);
  }
}
