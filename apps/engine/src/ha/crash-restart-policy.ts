/** What to do with an HA VM whose QEMU crashed on a healthy host. */
export type CrashRestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number; reason: string }
  | { action: 'give-up'; reason: string };

export interface CrashRestartLimits {
  /** Restarts allowed within `windowMs`; the next crash leaves the VM down. */
  maxRestarts: number;
  windowMs: number;
  /** Wait before the second restart of a window; doubled for each further one (the first is at once). */
  backoffMs: number;
}

/**
 * Restart in place with a back-off, and stop after a few crashes in a row: a VM that crashes at
 * every boot (a broken guest, a disk QEMU cannot open) must not loop forever, eating the host and
 * flooding the audit log. Pure: `restarts` are the times of this VM's earlier restarts.
 */
export function decideCrashRestart(
  restarts: readonly number[],
  now: number,
  limits: CrashRestartLimits,
): CrashRestartDecision {
  const recent = restarts.filter((t) => now - t < limits.windowMs).length;
  const window = `${Math.round(limits.windowMs / 1000)} s`;
  if (recent >= limits.maxRestarts)
    return {
      action: 'give-up',
      reason:
        `it was already restarted ${recent} time(s) within ${window} (at most ${limits.maxRestarts}): ` +
        'left down; start it by hand once the cause of the crashes is fixed',
    };
  const delayMs = recent === 0 ? 0 : limits.backoffMs * 2 ** (recent - 1);
  return {
    action: 'restart',
    delayMs,
    attempt: recent + 1,
    reason: `restart ${recent + 1} of at most ${limits.maxRestarts} within ${window}${delayMs ? `, after ${Math.round(delayMs / 1000)} s` : ', at once'}`,
  };
}
