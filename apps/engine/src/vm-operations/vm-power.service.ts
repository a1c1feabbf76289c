import {
  CommandName,
  CommandPayload,
  Firmware,
  HostStatus,
  NvramContent,
  ObjectType,
  Task,
  VmStatus,
} from '@kelpie/shared-types';
import { agentCodeOf } from '../agents/agent-error.mapping';
import { Injectable } from '@nestjs/common';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import type { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { refOf } from '../crud/inventory.service';
import { PlacementService } from '../scheduling/placement.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { ShutdownVmDto } from '../vms/vm-devices.dto';
import type { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { REDEFINED_FIELDS, VmsService } from '../vms/vms.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { EXPECTED_STATUS } from '../vm-guard/vm-state-table';
import { VmProvisioner } from './vm-provisioner.service';
import { VmStatusWaiter } from './vm-status-waiter';
import { VmNicUpdateService } from './vm-nic-update.service';

export type PowerAction = 'start' | 'shutdown' | 'poweroff' | 'reboot' | 'reset' | 'suspend' | 'resume';

/** Checkpoint of a power task: its command is on the way to `hostId` (vm-power-adoption.ts). */
export const POWER_SENT_PHASE = 'power';
/** The start sent again after the VM was defined anew on a host that had lost it. */
export const POWER_REDEFINED_PHASE = `${POWER_SENT_PHASE}-redefined`;
/** How long a task waits for libvirt's events to confirm the final status. */
const CONFIRM_TIMEOUT_MS: Record<PowerAction, number> = {
  start: 30_000,
  shutdown: 15_000,
  poweroff: 15_000,
  reboot: 15_000,
  reset: 15_000,
  suspend: 15_000,
  resume: 15_000,
};

/** Power actions, confirmed by libvirt's events; a start of a VM on no host provisions it first. */
@Injectable()
export class VmPowerService {
  constructor(
    private readonly vms: VmsService,
    private readonly vmRepo: VmRepository,
    private readonly hostRepo: HostRepository,
    private readonly tasks: TasksService,
    private readonly scheduler: PlacementService,
    private readonly checks: VmGuard,
    private readonly provisioner: VmProvisioner,
    private readonly status: VmStatusWaiter,
    private readonly nicUpdate: VmNicUpdateService,
  ) {}

  async power(id: string, action: PowerAction, dto: ShutdownVmDto, meta: RequestMeta): Promise<Task> {
    const vm = await this.vms.get(id);
    this.checks.guard(vm, action);
    if (action === 'start') await this.checks.assertStorageAvailable(vm);
    const leaving = action === 'start' ? await this.maintenanceHostToLeave(vm) : null;
    if (leaving) await this.checks.assertCanLeaveHost(vm, leaving.host, leaving.why);
    const host =
      vm.hostId && !leaving ? await this.checks.upHost(vm.hostId, { preparing: action !== 'start' }) : null;
    if (host && action === 'start' && host.status === HostStatus.NonOperational)
      // Its running VMs stay manageable (stop, migrate away, console); nothing new starts there.
      throw invalidState(
        `host ${host.name} of VM ${vm.name} is non-operational (${host.statusReason ?? 'no reason given'}): ` +
          'no VM starts there until it is up again',
        [{ reason: 'host is non-operational', ref: refOf(ObjectType.Host, host) }],
      );
    if (!host && action !== 'start')
      throw invalidState(`VM ${vm.name} is not defined on any host`, [
        { reason: 'no host', ref: refOf(ObjectType.Vm, vm) },
      ]);
    if (!host && action === 'start') {
      await this.provisioner.assertVolumesExistBeforeStart(vm);
      await this.scheduler.assertPlaceable(vm.id);
    }
    const desired: Partial<Record<PowerAction, VmStatus>> = {
      start: VmStatus.Up,
      shutdown: VmStatus.Down,
      poweroff: VmStatus.Down,
      suspend: VmStatus.Paused,
      resume: VmStatus.Up,
    };
    return this.tasks.launch(
      {
        type: `vm.${action}`,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.checks.recheck(id, action),
      },
      async (ctx) => {
        if (desired[action]) await this.vmRepo.setDesiredStatus(id, desired[action]);
        let target = host;
        let placement: string | undefined;
        if (!target) {
          const nvram = leaving ? await this.leaveMaintenanceHost(ctx, vm, leaving) : null;
          const placed = await this.provisioner.provision(ctx, id, null);
          target = await this.hostRepo.byId(placed.hostId);
          placement = placed.placement;
          if (nvram) {
            // Before the first start there: libvirt would otherwise copy the firmware's template.
            await ctx.progress(27, `carrying VM ${vm.name}'s UEFI variables to ${target.name}`);
            await this.checks.send(target, 'vm.nvram.import', { uuid: id, nvram }, ctx);
          }
        }
        const current = await this.vms.get(id);
        if (action === 'start' && current.pendingRestart?.fields.includes('name')) {
          // libvirt renames only stopped domains: the rename asked for while it ran happens now.
          await this.checks.send(target, 'vm.configure', { uuid: id, name: current.name }, ctx);
        }
        if (action === 'start' && host && !vm.external && needsRedefinition(current)) {
          // Machine type, firmware or boot order changed since it was defined: define it anew there.
          await ctx.progress(25, `defining VM ${vm.name} again on ${target.name} (${pendingOf(current)})`);
          await this.provisioner.provision(ctx, id, target.id);
        } else if (action === 'start' && host && !vm.external)
          // Defined earlier: its NICs follow what changed meanwhile (profile QoS, network).
          await this.nicUpdate.refreshDefinition(target, vm, ctx);
        await ctx.progress(30, `sending ${action} to ${target.name}`);
        const graceMs = action === 'shutdown' ? (dto.timeoutSeconds ?? 60) * 1000 : 0;
        const [name, payload] = this.powerCommand(action, id, dto);
        try {
          await this.checks.sendStep(target, name, payload, ctx, POWER_SENT_PHASE, { graceMs });
        } catch (e) {
          if (action !== 'start' || !host || vm.external || agentCodeOf(e) !== 'domain_not_found') throw e;
          // The host lost the definition (its libvirt was reset, the platform went down and up) before
          // two listings told the engine: define it again from Kelpie's record, its disks checked.
          await ctx.progress(32, `${target.name} no longer defines VM ${vm.name}: defining it again`);
          const placed = await this.provisioner.provision(ctx, id, target.id);
          placement = placed.placement;
          target = await this.hostRepo.byId(placed.hostId);
          await this.checks.sendStep(target, name, payload, ctx, POWER_REDEFINED_PHASE, { graceMs });
        }
        const expected = EXPECTED_STATUS[action]!;
        await ctx.progress(70, `waiting for libvirt to report the VM ${expected}`);
        const final = await this.status.waitForStatus(id, expected, CONFIRM_TIMEOUT_MS[action]);
        if (action === 'start' && final.pendingRestart) await this.vmRepo.clearPendingRestart(id);
        return { status: final.status, hostId: final.hostId, ...(placement ? { placement } : {}) };
      },
    );
  }

  /** A stopped VM belongs to its cluster, not to its host: when that host is in (or preparing for)
   * maintenance or an enforcing affinity group refuses it now, a start places the VM on another host (the scheduler
   * checks that it sees the VM's storage). */
  private async maintenanceHostToLeave(vm: VmEntity): Promise<{ host: HostEntity; why: string } | null> {
    if (!vm.hostId || vm.status !== VmStatus.Down) return null;
    const host = await this.hostRepo.find(vm.hostId);
    if (!host) return null;
    if (host.status === HostStatus.Maintenance) return { host, why: 'in maintenance' };
    // Being evacuated: a VM started there now would have to be migrated away again.
    if (host.status === HostStatus.PreparingForMaintenance) return { host, why: 'preparing for maintenance' };
    const broken = vm.external ? null : await this.scheduler.ruleBrokenOn(vm.id, host);
    return broken ? { host, why: broken } : null;
  }

  /** The old host's agent still runs (in maintenance too): its stale definition goes, the disks stay.
   * A UEFI VM's variables (boot entries, Secure Boot enrollments) live in a host-local NVRAM file that
   * the undefine removes: read first, they go to the new host before the start (ADR 0066). */
  private async leaveMaintenanceHost(
    ctx: TaskContext,
    vm: VmEntity,
    { host, why }: { host: HostEntity; why: string },
  ): Promise<NvramContent | null> {
    await ctx.progress(
      5,
      `VM ${vm.name} leaves ${host.name} (${why}): it starts on another host of its cluster`,
    );
    const nvram =
      vm.firmware === Firmware.Uefi
        ? await this.checks.send(host, 'vm.nvram.export', { uuid: vm.id }, ctx)
        : null;
    await this.checks.send(host, 'vm.undefine', { uuid: vm.id }, ctx);
    await this.vms.setStatus(vm.id, VmStatus.Down, {
      hostId: null,
      reason: `moved off ${host.name} (${why})`,
    });
    return nvram;
  }

  private powerCommand(
    action: PowerAction,
    uuid: string,
    dto: ShutdownVmDto,
  ): [CommandName, CommandPayload<CommandName>] {
    switch (action) {
      case 'start':
        return ['vm.start', { uuid }];
      case 'shutdown':
        return [
          'vm.shutdown',
          {
            uuid,
            timeoutMs: (dto.timeoutSeconds ?? 60) * 1000,
            forceAfterTimeout: dto.forceAfterTimeout ?? false,
          },
        ];
      case 'poweroff':
        return ['vm.destroy', { uuid }];
      case 'reboot':
        return ['vm.reboot', { uuid }];
      case 'reset':
        return ['vm.reset', { uuid }];
      case 'suspend':
        return ['vm.suspend', { uuid }];
      case 'resume':
        return ['vm.resume', { uuid }];
    }
  }
}

const pendingOf = (vm: VmEntity) =>
  (vm.pendingRestart?.fields ?? []).filter((f) => REDEFINED_FIELDS.includes(f as keyof VmEntity)).join(', ');
const needsRedefinition = (vm: VmEntity) => pendingOf(vm) !== '';
