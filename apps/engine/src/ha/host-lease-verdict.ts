/** What the lease records say of a host (ADR 0037):
 * - `renewing`: another host saw its record change within the lease timeout — the host is alive
 *   and writes to the shared storage, only its agent is not answering;
 * - `expired`: another host watched the record stay unchanged for longer than the lease timeout, and
 *   looked recently — the host can no longer write to the shared storage;
 * - `unknown`: no records, or nobody looked recently enough to say either. */
export type LeaseVerdict = 'renewing' | 'expired' | 'unknown';

export interface LeaseObservation {
  renewedAt: Date | null;
  unchangedSince: Date;
  checkedAt: Date;
  checkedBy: string;
}

export function leaseVerdict(o: LeaseObservation | null, now: number, timeoutMs: number): LeaseVerdict {
  if (!o) return 'unknown';
  if (o.renewedAt && now - o.renewedAt.getTime() <= timeoutMs) return 'renewing';
  const fresh = now - o.checkedAt.getTime() <= timeoutMs;
  if (fresh && o.checkedAt.getTime() - o.unchangedSince.getTime() > timeoutMs) return 'expired';
  return 'unknown';
}

/** In words, for the audit log. */
export function describeLease(o: LeaseObservation | null, now: number): string {
  if (!o) return 'no other host has reported its lease records';
  const ago = (d: Date) => `${Math.round((now - d.getTime()) / 1000)} s ago`;
  const renewed = o.renewedAt ? `last renewal seen ${ago(o.renewedAt)}` : 'no renewal seen';
  return `${renewed}, unchanged since ${ago(o.unchangedSince)} (looked ${ago(o.checkedAt)} by host ${o.checkedBy})`;
}
