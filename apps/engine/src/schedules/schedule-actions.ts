import { Permission, ScheduleAction } from '@kelpie/shared-types';
import type { ScheduleTargetType } from './schedule.entity';

/** Each action's object and the permission its own route needs on it: creating, cancelling and every
 * run of a schedule need exactly that (a schedule never lets anyone do more than they could now). */
export const ACTION_RULES: Record<ScheduleAction, { target: ScheduleTargetType; permission: Permission }> = {
  'vm.migrate': { target: 'vm', permission: Permission.VmMigrate },
  'host.maintenance': { target: 'host', permission: Permission.HostManage },
  'vm.start': { target: 'vm', permission: Permission.VmPower },
  'vm.shutdown': { target: 'vm', permission: Permission.VmPower },
  'vm.poweroff': { target: 'vm', permission: Permission.VmPower },
  'vm.reboot': { target: 'vm', permission: Permission.VmPower },
  'vm.snapshot': { target: 'vm', permission: Permission.VmSnapshot },
};

/** The power actions a schedule may take, by their verb in the power service. */
export const POWER_VERBS = {
  'vm.start': 'start',
  'vm.shutdown': 'shutdown',
  'vm.poweroff': 'poweroff',
  'vm.reboot': 'reboot',
} as const;

/** `<prefix>-20270101T020000Z`: the due time, so each run of a recurring snapshot has its own name. */
export function snapshotName(prefix: string, dueAt: Date): string {
  return `${prefix}-${dueAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`;
}
