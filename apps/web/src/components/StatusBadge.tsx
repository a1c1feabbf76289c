import { humanize } from './format';

/** Colour family of a status (shared by VMs, hosts, tasks, storage domains and event severities). */
const TONE: Record<string, 'ok' | 'busy' | 'warn' | 'bad' | 'off' | 'info'> = {
  up: 'ok',
  active: 'ok',
  succeeded: 'ok',
  down: 'off',
  inactive: 'off',
  detached: 'off',
  maintenance: 'off',
  cancelled: 'off',
  queued: 'busy',
  running: 'busy',
  starting: 'busy',
  installing: 'busy',
  powering_down: 'busy',
  reboot_in_progress: 'busy',
  migrating_from: 'busy',
  migrating_to: 'busy',
  preparing_for_maintenance: 'busy',
  paused: 'warn',
  suspended: 'warn',
  warning: 'warn',
  unknown: 'warn',
  degraded: 'warn',
  interrupted: 'warn',
  non_responsive: 'bad',
  non_operational: 'bad',
  crashed: 'bad',
  error: 'bad',
  failed: 'bad',
  info: 'info',
};

const ICON: Record<string, string> = { ok: '▲', busy: '◆', warn: '■', bad: '✖', off: '▼', info: '●' };

export const toneOf = (status: string) => TONE[status] ?? 'info';

/** A status as an icon (shape + colour, so it does not rely on colour alone) and its name. */
export function StatusIcon({ status }: { status: string }) {
  const tone = toneOf(status);
  return (
    <span
      className={`status-icon tone-${tone}`}
      role="img"
      aria-label={humanize(status)}
      title={humanize(status)}
    >
      {ICON[tone]}
    </span>
  );
}

/** `tone`: show `status` as text but colour it like another status (e.g. "migrated" as succeeded). */
export function StatusBadge({
  status,
  title,
  tone: like,
}: {
  status: string;
  title?: string | null;
  tone?: string;
}) {
  const tone = toneOf(like ?? status);
  return (
    <span className={`badge tone-${tone}`} title={title ?? undefined}>
      <span aria-hidden="true">{ICON[tone]}</span> {humanize(status)}
    </span>
  );
}
