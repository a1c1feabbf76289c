import { HostStatus } from '@kelpie/shared-types';
import { LeaseVerdict } from './host-lease-verdict';

/** Which rule decided (stable words: tests, the audit log and later the host page read them). */
export type FenceRule =
  | 'not-non-responsive'
  | 'startup-grace'
  | 'cluster-unreachable'
  | 'rate-limit'
  | 'no-power-management'
  | 'soft-fenced'
  | 'lease-renewing'
  | 'awaiting-lease-expiry'
  | 'fence';

export interface FenceDecision {
  /** `fence`: call `agent` now; `hold`: do nothing now (asked again at the next check). */
  action: 'fence' | 'hold';
  rule: FenceRule;
  /** In words, for the audit event. */
  reason: string;
  agent?: string;
}

export interface FencePolicyInput {
  now: number;
  /** When this engine started (epoch ms): it has heard the hosts only since then. */
  engineStartedAt: number;
  host: { name: string; status: HostStatus };
  /** Status of every host of the host's cluster (the host included). */
  clusterStatuses: HostStatus[];
  /** Fence calls in the host's cluster within the rate-limit window (every engine's). */
  recentFencesInCluster: number;
  /** Fence agents configured for the host, in the order they are tried. */
  agents: string[];
  /** Of those, the soft ones (restart the agent; they leave the host and its VMs running). */
  softAgents: string[];
  /** What other hosts see of the host's lease records, and that in words. */
  lease: LeaseVerdict;
  leaseDetail: string;
  startupGraceMs: number;
  maxUnreachablePercent: number;
  maxPerCluster: number;
  windowMs: number;
}

/** Hosts expected to answer: their silence counts as "unreachable" (maintenance, installing or error
 * hosts are not expected to heartbeat, or are not serving VMs). */
const EXPECTED: HostStatus[] = [HostStatus.Up, HostStatus.PreparingForMaintenance, HostStatus.NonResponsive];

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Whether a NonResponsive host may be fenced now. Pure: the fencing service feeds it what it knows
 * and audits what it says. The rules, most protective first, each one a way a wrong fence has hurt
 * someone:
 * - startup grace: an engine that just started has not yet heard the hosts itself; silence measured
 *   from a previous run (or another engine's clock) would condemn live hosts;
 * - cluster unreachable: most hosts silent at once means the engine (or its network) is cut off,
 *   not that they all died; fencing them would power off a healthy cluster;
 * - rate limit per cluster: a storm of fencing is an outage or a bug, never a cure;
 * - no power management: nothing can prove the host is off, so its VMs stay `unknown` until an admin
 *   confirms the host was rebooted (restarting them elsewhere could run them twice);
 * - lease renewing: other hosts see the host still renew its storage leases — it is alive and only
 *   its agent is not; a power cycle would kill healthy VMs, so only a soft fence is allowed.
 */
export function decideFencing(i: FencePolicyInput): FenceDecision {
  if (i.host.status !== HostStatus.NonResponsive)
    return hold('not-non-responsive', `host ${i.host.name} is ${i.host.status}, not non-responsive`);
  const uptime = i.now - i.engineStartedAt;
  if (uptime < i.startupGraceMs)
    return hold(
      'startup-grace',
      `the engine started ${seconds(uptime)} ago and fences no host in its first ${seconds(i.startupGraceMs)} ` +
        '(it judges hosts only by heartbeats it received itself)',
    );
  const expected = i.clusterStatuses.filter((s) => EXPECTED.includes(s));
  const unreachable = expected.filter((s) => s === HostStatus.NonResponsive).length;
  if (expected.length > 0 && unreachable * 100 > expected.length * i.maxUnreachablePercent)
    return hold(
      'cluster-unreachable',
      `${unreachable} of ${expected.length} hosts of the cluster are unreachable at once ` +
        `(more than ${i.maxUnreachablePercent} %): the engine is more likely cut off than they are down`,
    );
  if (i.recentFencesInCluster >= i.maxPerCluster)
    return hold(
      'rate-limit',
      `${i.recentFencesInCluster} fence call(s) in the cluster within the last ${seconds(i.windowMs)} ` +
        `(at most ${i.maxPerCluster})`,
    );
  if (!i.agents.length)
    return hold(
      'no-power-management',
      `host ${i.host.name} has no power management: its VMs stay unknown until an admin confirms ` +
        'the host has been rebooted',
    );
  if (i.lease === 'renewing' && !i.softAgents.includes(i.agents[0]))
    return hold(
      'lease-renewing',
      `host ${i.host.name} still renews its storage leases (${i.leaseDetail}): it is alive, only its ` +
        `agent does not answer; no hard fencing while it renews`,
    );
  return {
    action: 'fence',
    rule: 'fence',
    reason: `host ${i.host.name} is non-responsive; fencing through ${i.agents[0]}`,
    agent: i.agents[0],
  };
}

function hold(rule: FenceRule, reason: string): FenceDecision {
  return { action: 'hold', rule, reason };
}
