import type { Permission, Vm, VmStatus } from '@kelpie/shared-types';

/** Every action the VM menu knows (their requests: vmActionRequests.ts). */
export type VmActionId =
  | 'start'
  | 'shutdown'
  | 'poweroff'
  | 'reboot'
  | 'reset'
  | 'suspend'
  | 'resume'
  | 'migrate'
  | 'cancelMigration'
  | 'snapshot'
  | 'clone'
  | 'template'
  | 'delete'
  | 'console';

export interface VmActionSpec {
  id: VmActionId;
  label: string;
  /** Asks the user to confirm first (loses state or data). */
  confirm?: string;
  /** Asks for a name (snapshot, clone, template) or a target host (migrate, optional). */
  input?: 'name' | 'host';
  /** Offered as a bulk action on the VM list. */
  bulk?: boolean;
}

const power = (id: VmActionId, label: string, extra: Partial<VmActionSpec> = {}): VmActionSpec => ({
  id,
  label,
  ...extra,
});

export const VM_ACTIONS: Record<VmActionId, VmActionSpec> = {
  start: power('start', 'Run', { bulk: true }),
  shutdown: power('shutdown', 'Shut down', { bulk: true }),
  poweroff: power('poweroff', 'Power off', {
    bulk: true,
    confirm: 'Power off cuts the VM off like pulling the plug; unsaved guest data is lost.',
  }),
  reboot: power('reboot', 'Reboot', { bulk: true }),
  reset: power('reset', 'Reset', { confirm: 'Reset restarts the VM without asking the guest.' }),
  suspend: power('suspend', 'Suspend', { bulk: true }),
  resume: power('resume', 'Resume', { bulk: true }),
  migrate: {
    id: 'migrate',
    label: 'Migrate…',
    input: 'host',
    bulk: true,
  },
  cancelMigration: {
    id: 'cancelMigration',
    label: 'Cancel migration',
  },
  snapshot: {
    id: 'snapshot',
    label: 'Snapshot…',
    input: 'name',
  },
  clone: { id: 'clone', label: 'Clone…', input: 'name' },
  template: {
    id: 'template',
    label: 'Make template…',
    input: 'name',
  },
  delete: {
    id: 'delete',
    label: 'Delete',
    confirm: 'Delete removes the VM with its disks, NICs and snapshots.',
    bulk: true,
  },
  console: { id: 'console', label: 'Console' },
};

/** Menu order. */
export const ACTION_ORDER: VmActionId[] = [
  'start',
  'resume',
  'shutdown',
  'reboot',
  'suspend',
  'poweroff',
  'reset',
  'migrate',
  'cancelMigration',
  'console',
  'snapshot',
  'clone',
  'template',
  'delete',
];

/**
 * What each status allows (oVirt semantics): a running guest can be shut down, rebooted, suspended,
 * migrated, snapshotted and watched; transitional states only allow forcing it off (and the
 * console while it still runs); the domain must be down to be cloned, templated or deleted.
 */
export const ACTIONS_BY_STATUS: Record<VmStatus, readonly VmActionId[]> = {
  down: ['start', 'snapshot', 'clone', 'template', 'delete'],
  starting: ['poweroff', 'console'],
  up: ['shutdown', 'reboot', 'reset', 'suspend', 'poweroff', 'migrate', 'snapshot', 'console'],
  paused: ['resume', 'poweroff', 'console'],
  powering_down: ['poweroff', 'console'],
  reboot_in_progress: ['poweroff', 'console'],
  migrating_from: ['cancelMigration', 'console'],
  migrating_to: [],
  suspended: ['resume', 'poweroff'],
  crashed: ['start', 'poweroff'],
  unknown: ['poweroff'],
};

/** Templates never run: they can only be cloned into VMs or deleted. */
const TEMPLATE_ACTIONS: readonly VmActionId[] = ['clone', 'delete'];

export type VmLike = Pick<Vm, 'status'> & Partial<Pick<Vm, 'isTemplate'>>;

export function availableActions(vm: VmLike): VmActionId[] {
  const allowed = ACTIONS_BY_STATUS[vm.status] ?? [];
  const list = vm.isTemplate ? allowed.filter((a) => TEMPLATE_ACTIONS.includes(a)) : allowed;
  return ACTION_ORDER.filter((a) => list.includes(a));
}

export function canDo(vm: VmLike, action: VmActionId): boolean {
  return availableActions(vm).includes(action);
}

/** For a bulk action: the selected VMs it applies to and those it skips. */
export function splitForBulk<T extends VmLike>(vms: T[], action: VmActionId): { apply: T[]; skip: T[] } {
  const apply: T[] = [];
  const skip: T[] = [];
  for (const vm of vms) (canDo(vm, action) ? apply : skip).push(vm);
  return { apply, skip };
}

/** The permission the engine checks for each action (see the route declarations). */
export const ACTION_PERMISSION: Record<VmActionId, Permission> = {
  start: 'vm.power',
  shutdown: 'vm.power',
  poweroff: 'vm.power',
  reboot: 'vm.power',
  reset: 'vm.power',
  suspend: 'vm.power',
  resume: 'vm.power',
  migrate: 'vm.migrate',
  cancelMigration: 'vm.migrate',
  snapshot: 'vm.snapshot',
  clone: 'vm.create',
  template: 'template.manage',
  delete: 'vm.delete',
  console: 'vm.console',
};
