import { ErrorCode, ObjectType } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { EventsService } from '../events/events.service';
import { DiskEntity } from '../disks/disk.entity';
import { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier } from '../inventory/inventory.service';
import { StreamService } from '../stream/stream.service';
import { domainOn, DomainPresence, isRunning } from '../tasks/domain-probe';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { CREATE_TASK, POWER_SENT_PHASE, PROVISION_PHASE } from './vm-lifecycle.service';

type Volume = { pool: string; name: string };

/** What libvirt shows once a power action is done. */
const POWER_END: Record<string, (p: DomainPresence) => boolean> = {
  'vm.start': isRunning,
  'vm.resume': (p) => p.state === 'running',
  'vm.suspend': (p) => p.state === 'paused',
  'vm.shutdown': (p) => p.state === 'shutoff',
  'vm.poweroff': (p) => p.state === 'shutoff',
};
const POWER_RECHECK_MS = 1_000;
/** Beyond the action's own grace period (a guest shutdown), how long libvirt gets to show the end. */
const POWER_SETTLE_MS = 20_000;

/**
 * Adopts VM create and power tasks of a dead engine by asking the VM's host what libvirt has.
 * create: the domain defined (its last step) → succeeded; otherwise what the create made on the host
 * (its volumes, named after its own new disks) is removed with the records: failed, compensated.
 * power: libvirt shows the action's end state → succeeded; otherwise failed with what it shows.
 */
@Injectable()
export class VmCreateAdoption implements OnModuleInit {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly tasks: TasksService,
    private readonly bus: CommandBus,
    @InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>,
    @InjectRepository(DiskEntity) private readonly disks: Repository<DiskEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  onModuleInit(): void {
    this.tasks.registerAdopter(CREATE_TASK, (ctx, cp) => this.adoptCreate(ctx, cp));
    for (const type of Object.keys(POWER_END))
      this.tasks.registerAdopter(type, (ctx, cp) => this.adoptPower(ctx, cp));
  }

  private async adoptCreate(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host, presence } = await this.look(ctx, cp);
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
    await this.disks.delete({ vmId: vm.id });
    await this.vms.delete({ id: vm.id });
    await this.notify.deleted(ObjectType.Vm, vm, meta);
    const removed = volumes.length
      ? `removed volumes ${volumes.map((v) => v.name).join(', ')}`
      : 'nothing to remove';
    throw new DomainError(
      ErrorCode.Internal,
      `the engine creating VM ${vm.name} stopped at step "${cp.phase}" before the VM was defined on ${host.name}; ${removed} and the VM's records; create it again`,
    );
  }

  private async adoptPower(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const reached = POWER_END[ctx.task.type]!;
    const graceMs = typeof cp.graceMs === 'number' ? cp.graceMs : 0;
    const deadline = Date.now() + (cp.phase === POWER_SENT_PHASE ? graceMs : 0) + POWER_SETTLE_MS;
    let seen = await this.look(ctx, cp);
    while (!reached(seen.presence) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POWER_RECHECK_MS));
      seen = await this.look(ctx, cp);
    }
    const { vm, host, presence } = seen;
    if (reached(presence)) return { status: vm.status, hostId: host.id, adoptedState: presence.state };
    if (cp.phase !== POWER_SENT_PHASE)
      throw new TaskUnknowable(
        `the engine stopped while placing VM ${vm.name} on ${host.name} (step "${cp.phase}") and libvirt shows it ${presence.state}; check its disks and start it again`,
      );
    throw new DomainError(
      ErrorCode.Unprocessable,
      `the engine stopped after sending ${ctx.task.type} and libvirt on ${host.name} shows VM ${vm.name} ${presence.state}`,
    );
  }

  /** The VM, its host per the checkpoint, and what that host's libvirt has (never `unknown`). */
  private async look(ctx: TaskContext, cp: TaskCheckpoint) {
    const vm = await this.vms.findOneBy({ id: ctx.task.target!.id });
    const host = await this.hosts.findOneBy({ id: cp.hostId as string });
    if (!vm || !host)
      throw new TaskUnknowable(
        `the VM or its host is gone since the engine running ${ctx.task.type} stopped`,
      );
    const presence = await domainOn(this.bus, host.id, vm.id);
    if ('why' in presence)
      throw new TaskUnknowable(
        `the engine running ${ctx.task.type} stopped and host ${host.name} does not answer (${presence.why}); check VM ${vm.name} there`,
      );
    return { vm, host, presence };
  }
}
