import { VmHaEvent, VmHaState, VmStatus } from '@kelpie/shared-types';

export interface VmHaFacts {
  highlyAvailable: boolean;
  status: VmStatus;
  statusReason: string | null;
  lastRestart: VmHaEvent | null;
  lastFailure: VmHaEvent | null;
}

/** The VM's HA state from its status and its last HA events. Pure. */
export function vmHaState(f: VmHaFacts): { state: VmHaState; detail: string } {
  if (!f.highlyAvailable)
    return { state: 'off', detail: 'not highly available: nothing restarts it when its host fails' };
  const failedSince = f.lastFailure && (!f.lastRestart || f.lastFailure.at > f.lastRestart.at);
  if (f.status === VmStatus.Unknown)
    return {
      state: 'awaiting-fence',
      detail:
        'its host does not answer: it is restarted on another host once that host is fenced or confirmed rebooted',
    };
  if (f.status === VmStatus.Down || f.status === VmStatus.Crashed) {
    if (failedSince) return { state: 'restart-failed', detail: f.lastFailure!.message };
    return {
      state: 'down',
      detail: f.statusReason ? `down: ${f.statusReason}` : 'down: HA restarts a VM only when it was running',
    };
  }
  return {
    state: 'protected',
    detail: 'restarted on another host if its host fails, in place if its QEMU crashes',
  };
}
