import { HostStatus, statusPhrase, VmStatus } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { checkpointHost, TaskCheckpoint } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { isActive } from '../vms/vm-status.mapping';
import { VmsService } from '../vms/vms.service';
import {
  CONFIRM_REBOOTED_TASK,
  FENCED_TASK,
  haOrder,
  HaRestartService,
  RestartOutcome,
  StartedTasks,
} from './ha-restart.service';

const START_TASK = 'vm.start';

/**
 * Adopts `host.confirm-rebooted` (and `host.fenced`) of a dead engine: it finishes the release the checkpoint names. The
 * VMs still placed on the host are marked down (as long as the host is still non-responsive: once it
 * answers, its agent's reports say what runs there), then the HA VMs are taken in the same order.
 * A VM is never started twice: one whose `vm.start` is known (checkpoint) or active is waited for —
 * that task is adopted on its own and ends as libvirt shows; one already running, or busy with
 * another task, is left alone and named; only a VM still down with no start is started.
 */
@Injectable()
export class HaRestartAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly hosts: HostsService,
    private readonly vms: VmsService,
    private readonly vmRepo: VmRepository,
    private readonly ha: HaRestartService,
  ) {}

  onModuleInit(): void {
    // Both end in the same release of the host's VMs, checkpointed the same way.
    for (const type of [CONFIRM_REBOOTED_TASK, FENCED_TASK])
      this.tasks.registerAdopter(type, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    const host = await checkpointHost(
      this.hosts,
      cp,
      `the host known off is gone since the engine releasing its VMs stopped; check which highly available VMs run and start the others`,
    );
    const reason = (cp.reason as string | undefined) ?? `host ${host.name} was confirmed rebooted`;
    const ids = (key: string) => (Array.isArray(cp[key]) ? (cp[key] as string[]) : []);
    const released = await this.vmRepo.byIdsByName(ids('vmIds'));
    const down = await this.markDown(host, released, reason, meta);
    const starts: StartedTasks = { ...((cp.starts as StartedTasks | undefined) ?? {}) };
    // The HA VMs as the release ordered them (priorities may have been edited since).
    const byId = new Map(haOrder(released).map((v) => [v.id, v]));
    const ha = ids('haIds')
      .map((id) => byId.get(id))
      .filter((v): v is VmEntity => !!v);
    const out = await this.ha.restartAll(ctx, down, reason, ha, (vm) =>
      this.resume(ctx, host, vm, starts, meta),
    );
    return { ...out };
  }

  /** The release's VMs still placed on the host go down, as the dead engine was doing. */
  private async markDown(
    host: HostEntity,
    released: VmEntity[],
    reason: string,
    meta: { actor: string; correlationId: string },
  ): Promise<string[]> {
    const current = await this.hosts.get(host.id);
    const down: string[] = [];
    for (const vm of released) {
      const pending = vm.hostId === host.id && (vm.status === VmStatus.Unknown || isActive(vm.status));
      if (pending && current.status !== HostStatus.NonResponsive) continue;
      // An external VM exists only in that host's libvirt: it stays attached there.
      if (pending)
        await this.vms.setStatus(
          vm.id,
          VmStatus.Down,
          { hostId: vm.external ? host.id : null, reason },
          meta,
        );
      down.push(vm.name);
    }
    return down;
  }

  /** One HA VM: wait for its start if there is one, leave it if it runs or is busy, else start it. */
  private async resume(
    ctx: TaskContext,
    host: HostEntity,
    vm: VmEntity,
    starts: StartedTasks,
    meta: { actor: string; correlationId: string },
  ): Promise<RestartOutcome> {
    const now = await this.vmRepo.byId(vm.id);
    if (!now) return { vmId: vm.id, name: vm.name, reason: 'the VM was deleted meanwhile' };
    const active = await this.tasks.activeOn(vm.id);
    const startTask = active.find((t) => t.type === START_TASK)?.id ?? starts[vm.id];
    if (startTask) return this.ha.settleStart(now, startTask, meta);
    if (active.length)
      return {
        vmId: vm.id,
        name: vm.name,
        reason: `task ${active[0]!.type} (${active[0]!.id}) is running on it: not started; start it once that task ended`,
      };
    if (now.status !== VmStatus.Down)
      return {
        vmId: vm.id,
        name: vm.name,
        reason:
          now.hostId === host.id
            ? `still ${statusPhrase(now.status)} on ${host.name}, which answered again: not started elsewhere`
            : `already ${statusPhrase(now.status)} without an HA start: not started again`,
      };
    return this.ha.restartElsewhere(ctx, now, meta, starts);
  }
}
