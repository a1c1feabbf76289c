import type { CreateScheduleRequest, Schedule, ScheduleAction } from '@kelpie/shared-types';

/** When a scheduled action runs: once at a local date and time, or on a cron expression. */
export interface ScheduleWhen {
  mode: 'once' | 'cron';
  /** `<input type="datetime-local">` value (the browser's local time, no zone). */
  runAt: string;
  cron: string;
  /** IANA zone the cron expression is read in. */
  timezone: string;
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** `YYYY-MM-DDTHH:mm` in local time, what a datetime-local input shows. */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** An hour from now, on the minute: a time people rarely have to change much. */
export function defaultWhen(now = Date.now()): ScheduleWhen {
  return {
    mode: 'once',
    runAt: localInputValue(Math.ceil((now + 3_600_000) / 60_000) * 60_000),
    cron: '0 2 * * *',
    timezone: browserTimeZone(),
  };
}

export type Timing = Pick<CreateScheduleRequest, 'runAt' | 'cron' | 'timezone'>;

/**
 * The timing part of `POST /schedules`, or the reasons by field. The local time is sent with its
 * offset (as UTC), so the engine never reads it in its own zone.
 */
export function scheduleTiming(
  w: ScheduleWhen,
  now = Date.now(),
): { timing: Timing; errors?: undefined } | { errors: Record<string, string> } {
  if (w.mode === 'once') {
    if (!w.runAt) return { errors: { runAt: 'Choose a date and time.' } };
    const at = new Date(w.runAt).getTime();
    if (Number.isNaN(at)) return { errors: { runAt: 'Not a date and time.' } };
    if (at <= now) return { errors: { runAt: 'Choose a time in the future.' } };
    return { timing: { runAt: new Date(at).toISOString() } };
  }
  const fields = w.cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6)
    return { errors: { cron: 'Give 5 fields (minute hour day month weekday), or 6 with seconds first.' } };
  if (!w.timezone.trim()) return { errors: { timezone: 'Give a time zone, e.g. UTC or Europe/Berlin.' } };
  return { timing: { cron: fields.join(' '), timezone: w.timezone.trim() } };
}

export const ACTION_LABEL: Record<ScheduleAction, string> = {
  'vm.migrate': 'Migrate',
  'host.maintenance': 'Maintenance',
  'vm.start': 'Run',
  'vm.shutdown': 'Shut down',
  'vm.poweroff': 'Power off',
  'vm.reboot': 'Reboot',
  'vm.snapshot': 'Snapshot',
};

/** The VM actions a schedule can run, in the order the dialog offers them. */
export const VM_SCHEDULE_ACTIONS: readonly ScheduleAction[] = [
  'vm.start',
  'vm.shutdown',
  'vm.poweroff',
  'vm.reboot',
  'vm.snapshot',
  'vm.migrate',
];

/** "once at <time>" or "cron 0 2 * * * (Europe/Berlin)" for the list. */
export function whenText(
  s: Pick<Schedule, 'runAt' | 'cron' | 'timezone'>,
  fmt: (iso: string) => string,
): string {
  if (s.cron) return `${s.cron} (${s.timezone})`;
  return s.runAt ? `once, ${fmt(s.runAt)}` : '–';
}
