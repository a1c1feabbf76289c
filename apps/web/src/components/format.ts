export const fmtInt = (n: number | undefined | null) =>
  n === undefined || n === null ? '–' : n.toLocaleString('en-US');

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  // A live event can carry a bigint column as a string ("0"): a number is drawn, never a crash.
  let v = Number(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export const fmtMib = (mib: number) => fmtBytes(mib * 1024 * 1024);
export const fmtKib = (kib: number) => fmtBytes(kib * 1024);

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { hour12: false });
}

/**
 * A time short enough for a list column (narrow windows cut the full form): the time alone today,
 * day and month this year, the date alone before. The full time goes in its title (`TimeCell`).
 */
export function fmtWhen(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString('en-GB', { hour12: false });
  if (d.getFullYear() === now.getFullYear())
    return d.toLocaleString('en-GB', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function fmtAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** An enum value (status, type) as a label; see humanize.ts. */
export { valueLabel as humanize } from '../text/humanize';
