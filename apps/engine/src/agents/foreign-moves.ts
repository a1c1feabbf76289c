import { DomainSnapshot } from '@kelpie/shared-types';
import { isActive, vmStatusOf } from '../vms/vm-status.mapping';

/** How long a "running here too" report waits for the owner to let the VM go. */
const PENDING_TTL_MS = 10 * 60_000;

interface PendingMove {
  hostId: string;
  domain: DomainSnapshot;
  at: number;
}

/**
 * VMs moved between hosts outside Kelpie (raw `virsh migrate`, another tool). The target reports the
 * domain active while the owner still runs it; that report waits here, and when the owner reports
 * the domain gone or stopped the VM changes host instead of being lost (an external VM would
 * otherwise be deleted and found again as new). Kelpie's own migrations use vm_migration instead.
 */
export class ForeignMoves {
  private readonly pending = new Map<string, PendingMove>();

  /** Another host reports the VM: remember it while active there, forget it when it leaves. */
  seenElsewhere(vmId: string, hostId: string, domain: DomainSnapshot | null): void {
    const current = this.pending.get(vmId);
    if (domain && isActive(vmStatusOf(domain))) this.pending.set(vmId, { hostId, domain, at: Date.now() });
    else if (current?.hostId === hostId) this.pending.delete(vmId);
  }

  /** Whether a report from another host is waiting for the VM's owner to let it go. */
  has(vmId: string): boolean {
    return this.pending.has(vmId);
  }

  /** The owner let the VM go: the host (and its last report) now running it, if one is waiting. */
  takeOver(vmId: string): { hostId: string; domain: DomainSnapshot } | undefined {
    const p = this.pending.get(vmId);
    this.pending.delete(vmId);
    if (!p || Date.now() - p.at > PENDING_TTL_MS) return undefined;
    return { hostId: p.hostId, domain: p.domain };
  }

  /** The VM settled on a host (or was deleted): nothing is pending for it. */
  forget(vmId: string): void {
    this.pending.delete(vmId);
  }
}
