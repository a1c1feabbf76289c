import { HostEntity } from '../hosts/host.entity';

/** What one fence call achieved. */
export interface FenceOutcome {
  ok: boolean;
  /** For the audit event: what was done and what the host or its BMC answered. */
  detail: string;
  /**
   * True only when the host is proven off (a BMC confirmed power off, or its storage leases provably
   * expired): only then may its VMs run elsewhere. A soft fence (agent or libvirtd restarted over SSH)
   * revives a host, it never proves its VMs dead.
   */
  hostIsOff: boolean;
}

/** Records one step of a fence call in the audit log (same correlation id as the call). */
export type FenceStepAudit = (detail: string) => Promise<void>;

/**
 * One way to fence a host: hard through a BMC (`ipmilan`: power off, confirm off — then, once the
 * host's VMs have been released, power on again), later soft over SSH (restart the agent, then
 * libvirtd) or by storage leases. The fencing service asks the registered agents which apply to a
 * host and, finding none, holds ("no power management") so that the VMs stay unknown until an admin
 * confirms the reboot.
 */
export interface FenceAgent {
  /** Stable name, e.g. `ssh-soft`, `ipmilan` (in the policy's decision and the audit log). */
  readonly kind: string;
  /** A soft fence revives a host and never proves it off: tried once per non-responsive spell,
   * before the hard agents, which follow when the host stays silent. */
  readonly soft?: boolean;
  /** Whether this agent is configured for the host (credentials, BMC address…). */
  appliesTo(host: HostEntity): Promise<boolean>;
  fence(host: HostEntity, signal: AbortSignal, step: FenceStepAudit): Promise<FenceOutcome>;
  /**
   * After a fence that proved the host off and once its VMs were released (HA ones restarted
   * elsewhere): give the host its power back, so it can serve again. Its old VMs are dead by then.
   */
  restore?(host: HostEntity, signal: AbortSignal, step: FenceStepAudit): Promise<void>;
}

/** Nest token of the registered FenceAgent[] (tried in this order). */
export const FENCE_AGENTS = Symbol('FENCE_AGENTS');
