import { VmStatus } from '@kelpie/shared-types';

/**
 * The one place that says which VM action is legal in which status (pure: no I/O). The API refuses
 * every other combination with 409 and the reason below, before anything is sent to a host.
 */
export const VM_ACTIONS = [
  'start',
  'shutdown',
  'poweroff',
  'reboot',
  'reset',
  'suspend',
  'resume',
  /** DELETE without force. */
  'delete',
  /** DELETE ?force=true: an active VM is powered off first. */
  'delete-force',
  /** PATCH of vcpus/memory/name (persistent, live where libvirt allows). */
  'edit',
  /** Attach/detach a disk or NIC, change the CD-ROM. */
  'hotplug',
  /** Full copy of a VM (clone), turning a VM into a template. */
  'clone',
  'make-template',
  /** Take / revert / delete a snapshot. */
  'snapshot',
  'snapshot-revert',
  'snapshot-delete',
  /** Build and attach a cloud-init seed ISO. */
  'cloud-init',
] as const;
export type VmAction = (typeof VM_ACTIONS)[number];

export type Verdict = { allowed: true } | { allowed: false; reason: string };

const ALL_STATUSES = Object.values(VmStatus);
const allowed: Verdict = { allowed: true };
const no = (reason: string): Verdict => ({ allowed: false, reason });

/** Reasons shared by every action for statuses in which nothing may touch the VM. */
function busy(status: VmStatus): Verdict | undefined {
  switch (status) {
    case VmStatus.MigratingFrom:
    case VmStatus.MigratingTo:
      return no('the VM is migrating; wait for the migration to finish or cancel it');
    case VmStatus.Unknown:
      return no(
        "the VM's state is unknown (its host does not answer); wait until the host is back, or confirm " +
          'the host has been rebooted if it is really off',
      );
    default:
      return undefined;
  }
}

type Row = Partial<Record<VmStatus, Verdict>> & { otherwise: (s: VmStatus) => Verdict };

/** Actions allowed while the VM is down, up or paused; `what` says what happens only then. */
const whileDownUpOrPaused = (what: string): Row => ({
  [VmStatus.Down]: allowed,
  [VmStatus.Up]: allowed,
  [VmStatus.Paused]: allowed,
  otherwise: (s) => no(`the VM is ${s}; ${what} while it is down, up or paused`),
});

const TABLE: Record<VmAction, Row> = {
  start: {
    [VmStatus.Down]: allowed,
    [VmStatus.Crashed]: allowed,
    otherwise: (s) =>
      s === VmStatus.Paused
        ? no('the VM is paused; resume it instead')
        : s === VmStatus.Suspended
          ? no('the VM is suspended by its guest; wake it (resume) or power it off')
          : no(`the VM is already ${s}`),
  },
  shutdown: {
    [VmStatus.Up]: allowed,
    [VmStatus.RebootInProgress]: allowed,
    otherwise: (s) =>
      s === VmStatus.PoweringDown
        ? no('the VM is already shutting down')
        : s === VmStatus.Paused || s === VmStatus.Suspended
          ? no(`the VM is ${s}: its guest cannot react to a shutdown request; resume it or power it off`)
          : no(`the VM is ${s}; only a running VM can be shut down`),
  },
  poweroff: {
    [VmStatus.Up]: allowed,
    [VmStatus.Starting]: allowed,
    [VmStatus.Paused]: allowed,
    [VmStatus.PoweringDown]: allowed,
    [VmStatus.RebootInProgress]: allowed,
    [VmStatus.Suspended]: allowed,
    otherwise: (s) => no(`the VM is ${s}; there is nothing to power off`),
  },
  reboot: {
    [VmStatus.Up]: allowed,
    otherwise: (s) => no(`the VM is ${s}; only a running VM can be rebooted`),
  },
  reset: {
    [VmStatus.Up]: allowed,
    [VmStatus.RebootInProgress]: allowed,
    otherwise: (s) => no(`the VM is ${s}; only a running VM can be reset`),
  },
  suspend: {
    [VmStatus.Up]: allowed,
    otherwise: (s) =>
      s === VmStatus.Paused
        ? no('the VM is already paused')
        : no(`the VM is ${s}; only a running VM can be paused`),
  },
  resume: {
    [VmStatus.Paused]: allowed,
    otherwise: (s) => no(`the VM is ${s}; only a paused VM can be resumed`),
  },
  delete: {
    [VmStatus.Down]: allowed,
    [VmStatus.Crashed]: allowed,
    otherwise: (s) => no(`the VM is ${s}; power it off first or delete with force=true`),
  },
  'delete-force': {
    otherwise: () => allowed,
  },
  edit: {
    [VmStatus.Down]: allowed,
    [VmStatus.Up]: allowed,
    [VmStatus.Paused]: allowed,
    [VmStatus.Crashed]: allowed,
    otherwise: (s) => no(`the VM is ${s}; wait until it is down, up or paused to change its hardware`),
  },
  hotplug: whileDownUpOrPaused('devices change only'),
  clone: {
    [VmStatus.Down]: allowed,
    otherwise: (s) =>
      no(`the VM is ${s}; only a stopped VM can be cloned (its disks must not change while copied)`),
  },
  'make-template': {
    [VmStatus.Down]: allowed,
    otherwise: (s) => no(`the VM is ${s}; only a stopped VM can become a template`),
  },
  snapshot: whileDownUpOrPaused('snapshots are taken'),
  'snapshot-revert': whileDownUpOrPaused('a snapshot is reverted'),
  'snapshot-delete': whileDownUpOrPaused('a snapshot is deleted'),
  'cloud-init': whileDownUpOrPaused('its cloud-init seed changes only'),
};

/** Templates are the read-only source of new VMs: they never run and are never changed in place. */
const TEMPLATE_FORBIDDEN: ReadonlySet<VmAction> = new Set<VmAction>([
  'start',
  'make-template',
  'snapshot',
  'snapshot-revert',
  'snapshot-delete',
  'cloud-init',
]);

export function checkTransition(action: VmAction, status: VmStatus, vm?: { isTemplate?: boolean }): Verdict {
  if (vm?.isTemplate && TEMPLATE_FORBIDDEN.has(action))
    return no(
      `the VM is a template: templates are never ${action === 'start' ? 'started' : 'changed'}; create a VM from it`,
    );
  return busy(status) ?? TABLE[action][status] ?? TABLE[action].otherwise(status);
}

/** What the VM's status must become (as reported from libvirt's events) for the action to be done. */
export const EXPECTED_STATUS: Partial<Record<VmAction, VmStatus>> = {
  start: VmStatus.Up,
  shutdown: VmStatus.Down,
  poweroff: VmStatus.Down,
  reboot: VmStatus.Up,
  reset: VmStatus.Up,
  suspend: VmStatus.Paused,
  resume: VmStatus.Up,
};

/** Every (action, status) pair with its verdict: for documentation and tests. */
export function stateTable(): { action: VmAction; status: VmStatus; verdict: Verdict }[] {
  return VM_ACTIONS.flatMap((action) =>
    ALL_STATUSES.map((status) => ({ action, status, verdict: checkTransition(action, status) })),
  );
}
