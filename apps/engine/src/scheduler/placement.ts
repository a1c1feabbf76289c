import { HostStatus, statusPhrase } from '@kelpie/shared-types';

/** What the scheduler knows about one host of the VM's cluster. */
export interface HostCandidate {
  id: string;
  name: string;
  status: HostStatus;
  /** Physical memory from the agent's capabilities (null: the agent never said hello). */
  memoryMib: number | null;
  /** Free memory from the last heartbeat, if any. */
  freeMib: number | null;
  /** Memory of the VMs placed on the host (every status: a defined VM may start any time). */
  committedMib: number;
  vmCount: number;
  /** Storage paths / bridges the host lacks (null: not checked, e.g. already excluded). */
  missingPaths?: string[] | null;
  missingBridges?: string[] | null;
}

export interface PlacementRequest {
  memoryMib: number;
  /** Kept free on every host for the host itself. */
  reserveMib: number;
}

export interface HostVerdict {
  hostId: string;
  name: string;
  fits: boolean;
  reason: string;
  committedMib: number;
  availableMib: number | null;
  vmCount: number;
}

export interface Placement {
  host: HostCandidate | null;
  /** Why this host, or why none fits. */
  reason: string;
  considered: HostVerdict[];
}

/** Memory a host can still give: physical − committed − reserve (never more than it has free now
 * plus what its not-running committed VMs would take, which we cannot know: physical is the bound). */
export function availableMib(h: HostCandidate, reserveMib: number): number | null {
  if (h.memoryMib === null) return null;
  return h.memoryMib - h.committedMib - reserveMib;
}

/** First pass: status and memory (no host I/O). */
export function judge(h: HostCandidate, req: PlacementRequest): HostVerdict {
  const avail = availableMib(h, req.reserveMib);
  const base = {
    hostId: h.id,
    name: h.name,
    committedMib: h.committedMib,
    availableMib: avail,
    vmCount: h.vmCount,
  };
  if (h.status !== HostStatus.Up)
    return { ...base, fits: false, reason: `host is ${statusPhrase(h.status)}, not up` };
  if (avail === null) return { ...base, fits: false, reason: 'host has not reported its capabilities yet' };
  if (avail < req.memoryMib)
    return {
      ...base,
      fits: false,
      reason: `needs ${req.memoryMib} MiB, only ${Math.max(0, avail)} MiB uncommitted (${h.memoryMib} MiB − ${h.committedMib} MiB committed − ${req.reserveMib} MiB reserve)`,
    };
  if (h.missingPaths?.length)
    return { ...base, fits: false, reason: `host lacks storage ${h.missingPaths.join(', ')}` };
  if (h.missingBridges?.length)
    return { ...base, fits: false, reason: `host lacks bridge ${h.missingBridges.join(', ')}` };
  return { ...base, fits: true, reason: `${avail} MiB uncommitted, ${h.vmCount} VM(s)` };
}

/** "Evenly distributed": among the hosts that fit, the one with the least committed memory, then
 * the fewest VMs, then by name (stable). */
export function choose(candidates: HostCandidate[], req: PlacementRequest): Placement {
  const considered = candidates.map((h) => judge(h, req));
  const fitting = candidates.filter((_, i) => considered[i].fits);
  if (!fitting.length) {
    const why = considered.map((v) => `${v.name}: ${v.reason}`).join('; ');
    return {
      host: null,
      reason: candidates.length ? `no host fits (${why})` : 'the cluster has no hosts',
      considered,
    };
  }
  fitting.sort(
    (a, b) => a.committedMib - b.committedMib || a.vmCount - b.vmCount || a.name.localeCompare(b.name),
  );
  const host = fitting[0];
  const others = fitting.length - 1;
  return {
    host,
    reason:
      `${host.name}: least committed memory (${host.committedMib} MiB, ${host.vmCount} VM(s))` +
      (others ? ` among ${fitting.length} fitting hosts` : ' (the only fitting host)'),
    considered,
  };
}
