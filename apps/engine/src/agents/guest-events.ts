import { EventSeverity } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { VmRepository } from '../vms/vm.repository';
import { refsOf } from './vm-state-sync.service';

/** What libvirt says QEMU did when the watchdog expired, in words. */
const WATCHDOG_ACTIONS: Record<string, string> = {
  reset: 'QEMU reset the guest',
  poweroff: 'QEMU powered the guest off',
  shutdown: 'QEMU asked the guest to shut down',
  pause: 'QEMU paused the guest',
  none: 'no action was taken',
  debug: 'QEMU logged it',
  'inject-nmi': 'QEMU injected an NMI',
};

/**
 * Libvirt events about a guest that are facts to audit, beyond its new state (which the domain
 * refresh that comes with them applies): a watchdog that expired means the guest hung (its kernel
 * stopped feeding /dev/watchdog), and the admin should know why it was reset or stopped.
 */
@Injectable()
export class GuestEvents {
  constructor(
    private readonly vms: VmRepository,
    private readonly events: EventsService,
  ) {}

  async seen(uuid: string, event: string, detail: string | undefined, observedAt: string): Promise<void> {
    if (event !== 'watchdog') return;
    const vm = await this.vms.find(uuid.toLowerCase());
    if (!vm) return;
    const action = detail?.trim() ?? 'unknown';
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'vm.watchdog',
      message:
        `the watchdog of VM ${vm.name} expired (the guest stopped feeding it) at ${observedAt}: ` +
        (WATCHDOG_ACTIONS[action] ?? `action ${action}`),
      refs: refsOf(vm),
    });
  }
}
