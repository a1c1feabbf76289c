import { VmHaEvent, VmHaStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { EventListQuery } from '../events/events.dto';
import { EventsService } from '../events/events.service';
import { VmsService } from '../vms/vms.service';
import { vmHaState } from './vm-ha-state';

/** Audit events of HA restarts: after a fence (elsewhere) and after a crash (in place). */
const RESTARTS = { 'vm.ha_restarted': 'other-host', 'vm.ha_crash_restart': 'same-host' } as const;
const FAILURES = { 'vm.ha_restart_failed': 'other-host', 'vm.ha_restart_given_up': 'same-host' } as const;

/** A VM's HA state and its last restart, for the VM page: read from the VM and the audit log, which
 * records every HA decision already (no second record to keep in step). */
@Injectable()
export class VmHaService {
  constructor(
    private readonly vms: VmsService,
    private readonly events: EventsService,
  ) {}

  async status(vmId: string): Promise<VmHaStatus> {
    const vm = await this.vms.get(vmId);
    const [lastRestart, lastFailure] = await Promise.all([
      this.latest(vmId, RESTARTS),
      this.latest(vmId, FAILURES),
    ]);
    const { state, detail } = vmHaState({
      highlyAvailable: vm.highlyAvailable,
      status: vm.status,
      statusReason: vm.statusReason,
      lastRestart,
      lastFailure,
    });
    const failureIsNews = lastFailure && (!lastRestart || lastFailure.at > lastRestart.at);
    return {
      highlyAvailable: vm.highlyAvailable,
      priority: vm.haPriority,
      state,
      detail,
      lastRestart,
      lastFailure: failureIsNews ? lastFailure : null,
    };
  }

  private async latest(vmId: string, types: Record<string, VmHaEvent['kind']>): Promise<VmHaEvent | null> {
    const found = await Promise.all(
      Object.entries(types).map(async ([type, kind]) => {
        const page = await this.events.list({ type, objectId: vmId, limit: 1 } as EventListQuery);
        const e = page.items[0];
        return e ? { at: e.time, kind, message: e.message, eventId: e.id } : null;
      }),
    );
    return found.filter((e): e is VmHaEvent => !!e).sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
  }
}
