import { ErrorCode, ObjectType } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { EventsService } from '../events/events.service';
import { DiskRepository } from '../disks/disk.repository';
import { ChangeNotifier } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmRepository } from '../vms/vm.repository';
import { TaskProbe } from '../vm-guard/task-probe';
import { CREATE_TASK } from './vm-create.service';
import { PROVISION_PHASE } from './vm-provisioner.service';

type Volume = { pool: string; name: string };

/**
 * Adopts VM create tasks of a dead engine by asking the VM's host what libvirt has: the domain
 * defined (its last step) → succeeded; otherwise what the create made on the host (its volumes, named
 * after its own new disks) is removed with the records: failed, compensated.
 */
@Injectable()
export class VmCreateAdoption implements OnModuleInit {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    private readonly vms: VmRepository,
    private readonly disks: DiskRepository,
    private readonly probe: TaskProbe,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  onModuleInit(): void {
    this.tasks.registerAdopter(CREATE_TASK, (ctx, cp) => this.adoptCreate(ctx, cp));
  }

  private async adoptCreate(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host } = await this.probe.target(ctx, cp);
    const presence = await this.probe.domain(vm, host);
    if (cp.phase === PROVISION_PHASE.defining && presence.state !== 'absent')
      return { vmId: vm.id, hostId: host.id, hostName: host.name, domainName: vm.name };
    // Not defined: nothing of it runs; remove what it made so no orphan volume stays behind.
    const volumes = (cp.volumes as Volume[] | undefined) ?? [];
    await ctx.progress(ctx.task.progress, `engine stopped mid-create; removing what it made on ${host.name}`);
    try {
      for (const v of volumes) await this.bus.send(host.id, 'volume.delete', v);
    } catch (e) {
      throw new TaskUnknowable(
        `the engine creating VM ${vm.name} stopped and its volumes on ${host.name} could not be removed ` +
          `(${(e as Error).message}); check ${volumes.map((v) => `${v.pool}/${v.name}`).join(', ')}`,
      );
    }
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    await this.disks.deleteOfVm(vm.id);
    await this.vms.delete(vm.id);
    await this.notify.deleted(ObjectType.Vm, vm, meta);
    const removed = volumes.length
      ? `removed volumes ${volumes.map((v) => v.name).join(', ')}`
      : 'nothing to remove';
    throw new DomainError(
      ErrorCode.Internal,
      `the engine creating VM ${vm.name} stopped at step "${cp.phase}" before the VM was defined on ${host.name}; ${removed} and the VM's records; create it again`,
    );
  }
}
