import type { MigrateVmRequest } from './migration';

/** What a schedule may do: the same operations as the matching routes, launched at its time. */
export const SCHEDULE_ACTIONS = [
  'vm.migrate',
  'host.maintenance',
  'vm.start',
  'vm.shutdown',
  'vm.poweroff',
  'vm.reboot',
  'vm.snapshot',
] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

/** active: will run (again); done: its one run happened; cancelled: never runs again. */
export const SCHEDULE_STATES = ['active', 'done', 'cancelled'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

/** started: the action's task was launched (follow `taskId`); refused: the action was refused when it
 * was due (its checks, a lock, a permission) and `reason` says why; nothing was sent to a host then. */
export const SCHEDULE_RUN_OUTCOMES = ['started', 'refused'] as const;
export type ScheduleRunOutcome = (typeof SCHEDULE_RUN_OUTCOMES)[number];

/** POST /schedules: one action at `runAt` (ISO time in the future) or on `cron` (5 fields, or 6 with
 * seconds first) in `timezone` (IANA, default UTC). */
export interface CreateScheduleRequest {
  action: ScheduleAction;
  name?: string;
  vmId?: string;
  hostId?: string;
  /** vm.migrate only: the body of POST /vms/{id}/migrate (targetHostId omitted: the scheduler picks). */
  migrate?: MigrateVmRequest;
  /** vm.snapshot only: each snapshot is named `<prefix>-<run time, UTC>`. */
  snapshotPrefix?: string;
  runAt?: string;
  cron?: string;
  timezone?: string;
}

export interface ScheduleRun {
  id: string;
  /** When the run was due. */
  dueAt: string;
  startedAt: string;
  outcome: ScheduleRunOutcome;
  taskId: string | null;
  /** The task's status as it is now (null when no task was started). */
  taskStatus: string | null;
  reason: string | null;
}

export interface Schedule {
  id: string;
  name: string | null;
  action: ScheduleAction;
  target: { type: 'vm' | 'host'; id: string };
  params: Record<string, unknown>;
  runAt: string | null;
  cron: string | null;
  timezone: string;
  state: ScheduleState;
  /** The next time it runs; null once done or cancelled. */
  nextRunAt: string | null;
  createdBy: string;
  createdAt: string;
  cancelledAt: string | null;
}

/** GET /schedules/{id}: the schedule and its runs, newest first. */
export interface ScheduleDetail extends Schedule {
  runs: ScheduleRun[];
}
