/** What high availability currently does for a VM (GET /vms/{id}/ha). */
export const VM_HA_STATES = [
  /** Not highly available: nothing restarts it. */
  'off',
  /** Runs on a host that answers: restarted elsewhere if that host dies, in place if QEMU crashes. */
  'protected',
  /** Its host stopped answering: restarted elsewhere once the host is fenced or confirmed rebooted. */
  'awaiting-fence',
  /** Its last restart failed or was given up (crash back-off): a person must start it. */
  'restart-failed',
  /** Down (stopped by someone, or not started yet): HA restarts only VMs that were running. */
  'down',
] as const;
export type VmHaState = (typeof VM_HA_STATES)[number];

/** One HA restart (or failed attempt) of the VM, from the audit log. */
export interface VmHaEvent {
  at: string;
  /** `other-host`: after its host was fenced; `same-host`: after its QEMU crashed. */
  kind: 'other-host' | 'same-host';
  message: string;
  eventId: string;
}

export interface VmHaStatus {
  highlyAvailable: boolean;
  /** Order of HA restarts after a host is fenced (0–100, higher first). */
  priority: number;
  state: VmHaState;
  /** One line saying why the VM is in this state. */
  detail: string;
  /** The last time HA started it again (null: never). */
  lastRestart: VmHaEvent | null;
  /** The last restart that failed or was given up, when it came after the last restart. */
  lastFailure: VmHaEvent | null;
}
