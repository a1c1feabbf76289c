import {
  EventSeverity,
  HostStatus,
  ObjectType,
  statusPhrase,
  Task,
  TaskStep,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { isActive } from '../vms/vm-status.mapping';
import { VmsService } from '../vms/vms.service';
import { VmPowerService } from '../vm-operations/vm-power.service';

export const CONFIRM_REBOOTED_TASK = 'host.confirm-rebooted';
/** The release after a fence agent proved the host off (fencing.service.ts). */
export const FENCED_TASK = 'host.fenced';
/** Longest one HA restart may take before the next VM's restart starts anyway. */
const PER_VM_WAIT_MS = 5 * 60_000;

export interface ReleasedVms {
  down: string[];
  restarted: { vmId: string; name: string; taskId: string; hostId: string | null }[];
  notRestarted: { vmId: string; name: string; reason: string }[];
}
export type RestartOutcome = ReleasedVms['restarted'][number] | ReleasedVms['notRestarted'][number];
/** The `vm.start` task launched for each HA VM so far, by VM id. */
export type StartedTasks = Record<string, string>;

/** The HA VMs among `vms`, in restart order: highest priority first (then by name). */
export const haOrder = (vms: VmEntity[]): VmEntity[] =>
  vms
    .filter((v) => v.highlyAvailable && !v.external)
    .sort((a, b) => b.haPriority - a.haPriority || a.name.localeCompare(b.name));

/**
 * What happens once a dead host is known to be off (an admin confirmed it was rebooted; later: a
 * fence agent proved it powered off): the VMs it ran are down, with the reason, and free to run
 * elsewhere; the highly available ones are started again on other hosts, by HA priority, each as a
 * normal `vm.start` task (scheduler, filters, its own progress), linked by the correlation id.
 */
@Injectable()
export class HaRestartService {
  private readonly logger = new Logger('HaRestart');

  constructor(
    private readonly hosts: HostsService,
    private readonly vms: VmsService,
    private readonly vmRepo: VmRepository,
    private readonly vmPower: VmPowerService,
    private readonly tasks: TasksService,
    private readonly events: EventsService,
  ) {}

  /** `POST /hosts/{id}/confirm-rebooted`: the manual fence. 409 unless the host is non-responsive. */
  async confirmRebooted(hostId: string, meta: RequestMeta): Promise<Task> {
    const host = await this.assertNonResponsive(hostId);
    return this.tasks.launch(
      {
        type: CONFIRM_REBOOTED_TASK,
        target: refOf(ObjectType.Host, host),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
      },
      async (ctx) => {
        // It may have answered since the request: then its agent reports what really runs there.
        const current = await this.assertNonResponsive(hostId);
        await this.events.record({
          severity: EventSeverity.Warning,
          type: 'host.fence_confirmed',
          message:
            `${meta.actor} confirmed that host ${current.name} has been rebooted: the VMs it ran are ` +
            'taken for stopped, and the highly available ones are restarted on other hosts',
          refs: [refOf(ObjectType.Host, current), { type: ObjectType.Cluster, id: current.clusterId }],
          correlationId: meta.correlationId,
        });
        const released = await this.releaseVms(
          ctx,
          current,
          `host ${current.name} was confirmed rebooted by ${meta.actor}`,
          meta,
        );
        return { ...released };
      },
    );
  }

  /** The host is off: its running VMs go down (and off the host, so they can start elsewhere), then
   * the HA ones are restarted one after the other, highest priority first, so that they get the
   * capacity first. */
  async releaseVms(
    ctx: TaskContext,
    host: HostEntity,
    reason: string,
    meta: RequestMeta,
  ): Promise<ReleasedVms> {
    const onHost = await this.vmRepo.onHost(host.id);
    const wasRunning = onHost.filter((v) => v.status === VmStatus.Unknown || isActive(v.status));
    const ha = haOrder(wasRunning);
    // Before anything changes: which VMs this release is about, so that an adopting engine finishes
    // it (ha-restart-adoption.ts) rather than guessing from VMs already moved off the host.
    await ctx.checkpoint('releasing', {
      hostId: host.id,
      reason,
      vmIds: wasRunning.map((v) => v.id),
      haIds: ha.map((v) => v.id),
      starts: {},
    });
    const down: string[] = [];
    for (const vm of wasRunning) {
      // An external VM exists only in that host's libvirt: it stays attached there.
      await this.vms.setStatus(vm.id, VmStatus.Down, { hostId: vm.external ? host.id : null, reason }, meta);
      down.push(vm.name);
    }
    const starts: StartedTasks = {};
    return this.restartAll(ctx, down, reason, ha, (vm) => this.restartElsewhere(ctx, vm, meta, starts));
  }

  /** Restarts `ha` one after the other through `restart`, one task step each. */
  async restartAll(
    ctx: TaskContext,
    down: string[],
    reason: string,
    ha: VmEntity[],
    restart: (vm: VmEntity) => Promise<RestartOutcome>,
  ): Promise<ReleasedVms> {
    const out: ReleasedVms = { down, restarted: [], notRestarted: [] };
    const steps: TaskStep[] = [
      { name: 'down', status: 'done', message: `${out.down.length} VM(s) down: ${reason}` },
    ];
    await ctx.progress(10, `${out.down.length} VM(s) marked down`, { steps: [...steps] });
    for (const [i, vm] of ha.entries()) {
      const outcome = await restart(vm);
      if ('taskId' in outcome) out.restarted.push(outcome);
      else out.notRestarted.push(outcome);
      steps.push({
        name: `restart ${vm.name}`,
        status: 'taskId' in outcome ? 'done' : 'failed',
        message:
          'taskId' in outcome
            ? `restarted (priority ${vm.haPriority}) by task ${outcome.taskId}`
            : `not restarted (priority ${vm.haPriority}): ${outcome.reason}`,
      });
      await ctx.progress(10 + (90 * (i + 1)) / ha.length, `HA restart of ${vm.name}`, { steps: [...steps] });
    }
    return out;
  }

  /** Starts the VM as a `vm.start` task (its id goes to the checkpoint at once: an adopting engine
   * waits for that task rather than starting the VM twice) and waits for it to end. */
  async restartElsewhere(
    ctx: TaskContext,
    vm: VmEntity,
    meta: RequestMeta,
    starts: StartedTasks,
  ): Promise<RestartOutcome> {
    try {
      const start = await this.vmPower.power(vm.id, 'start', {}, meta);
      starts[vm.id] = start.id;
      await ctx.checkpoint('restarting', { starts });
      return await this.settleStart(vm, start.id, meta);
    } catch (err) {
      this.logger.warn(`HA restart of ${vm.name}: ${(err as Error).message}`);
      return { vmId: vm.id, name: vm.name, reason: (err as Error).message };
    }
  }

  /** Waits for the VM's start task to end and records how. */
  async settleStart(vm: VmEntity, taskId: string, meta: RequestMeta): Promise<RestartOutcome> {
    const done = await this.tasks.wait(taskId, PER_VM_WAIT_MS);
    const ok = done.status === 'succeeded';
    await this.events.record({
      severity: ok ? EventSeverity.Info : EventSeverity.Warning,
      type: ok ? 'vm.ha_restarted' : 'vm.ha_restart_failed',
      message: ok
        ? `highly available VM ${vm.name} restarted on another host`
        : `highly available VM ${vm.name} could not be restarted: ${done.errorMessage ?? `task ${done.status}`}`,
      refs: [refOf(ObjectType.Vm, vm), { type: ObjectType.Task, id: taskId }],
      correlationId: meta.correlationId,
      // An engine adopting the release settles the same start again: one record per start.
      once: `${ok ? 'vm.ha_restarted' : 'vm.ha_restart_failed'}:${taskId}`,
    });
    if (!ok) return { vmId: vm.id, name: vm.name, reason: done.errorMessage ?? `task ${done.status}` };
    const now = await this.vms.get(vm.id);
    return { vmId: vm.id, name: vm.name, taskId, hostId: now.hostId };
  }

  private async assertNonResponsive(hostId: string): Promise<HostEntity> {
    const host = await this.hosts.get(hostId);
    if (host.status !== HostStatus.NonResponsive)
      throw invalidState(
        `host ${host.name} is ${statusPhrase(host.status)}: only a non-responsive host can be confirmed rebooted`,
        [{ reason: `status is ${host.status}`, ref: refOf(ObjectType.Host, host) }],
      );
    return host;
  }
}
