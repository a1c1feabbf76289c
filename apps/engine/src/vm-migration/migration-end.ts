import type { CommandBus } from '../agents/command-bus.service';
import { domainOn, DomainPresence } from '../agents/domain-probe';

/** How long the hosts get to show one owner after the job ended (domains settle within seconds). */
const SETTLE_MS = 20_000;
const SETTLE_RECHECK_MS = 1_000;

/** What libvirt on each side of a migration says of the VM. */
export interface Placement {
  source: DomainPresence;
  target: DomainPresence;
}

/**
 * How a migration ended, from the job's outcome and where libvirt has the VM. Only one owner
 * counts: running on the target and not on the source → succeeded (whatever the job says: its
 * result may be lost, or its virsh connection cut while QEMU finished); running on the source with
 * no domain on the target → failed (after a job that completed that cannot be, so it is unknown);
 * anything else → unknown.
 */
export function migrationEnd(
  job: 'completed' | 'failed' | 'missing',
  where: Placement,
): 'succeeded' | 'failed' | 'unknown' {
  const { source, target } = where;
  // A silent source cannot be ruled out as a second runner, unless its agent reported libvirt done.
  if (
    target.state === 'running' &&
    source.state !== 'running' &&
    (source.state !== 'unknown' || job === 'completed')
  )
    return 'succeeded';
  if (job !== 'completed' && source.state === 'running' && target.state === 'absent') return 'failed';
  return 'unknown';
}

/** Where libvirt has the VM once the domains settled: the target's incoming domain is paused until
 * the switch-over, the source's is gone or shut off after it; a restarted libvirtd answers again
 * within seconds. Gives up (and returns what it saw last) after SETTLE_MS. */
export async function settledPlacement(
  bus: CommandBus,
  vmId: string,
  sourceHostId: string,
  targetHostId: string,
  settleMs = SETTLE_MS,
): Promise<Placement> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const [source, target] = await Promise.all([
      domainOn(bus, sourceHostId, vmId),
      domainOn(bus, targetHostId, vmId),
    ]);
    if (migrationEnd('missing', { source, target }) !== 'unknown' || Date.now() > deadline)
      return { source, target };
    await new Promise((r) => setTimeout(r, SETTLE_RECHECK_MS));
  }
}

/** "source: running, target: unknown (…)" for messages. */
export function describePlacement(where: Placement): string {
  const say = (p: DomainPresence) => ('why' in p ? `unknown (${p.why})` : p.state);
  return `source: ${say(where.source)}, target: ${say(where.target)}`;
}
