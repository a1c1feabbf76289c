import { StorageDomainStatus } from '@kelpie/shared-types';

/** One host's last view of a domain's pool, as the derivation needs it. */
export interface PoolView {
  hostName: string;
  status: 'active' | 'failed';
  error: string | null;
}

/** An active domain's status from its hosts' views: `degraded` as soon as one host fails, with the
 * failing hosts and why (hosts that have not reported yet count for neither). */
export function deriveDomainHealth(views: PoolView[]): {
  status: typeof StorageDomainStatus.Active | typeof StorageDomainStatus.Degraded;
  reason: string | null;
} {
  const failing = views
    .filter((v) => v.status === 'failed')
    .sort((a, b) => a.hostName.localeCompare(b.hostName));
  if (!failing.length) return { status: StorageDomainStatus.Active, reason: null };
  const who = failing.map((v) => `${v.hostName}: ${v.error ?? 'pool not running'}`).join('; ');
  const n = failing.length === views.length ? 'no host' : `${failing.length} of ${views.length} hosts`;
  return { status: StorageDomainStatus.Degraded, reason: `${n} can use it (${who})`.slice(0, 2000) };
}

/** Why a host cannot serve VMs: the active domains of its datacenter it cannot reach (null: none). */
export function nonOperationalReason(failed: { domainName: string; error: string | null }[]): string | null {
  if (!failed.length) return null;
  const list = failed.map((f) => `${f.domainName} (${f.error ?? 'pool not running'})`).join(', ');
  return `${UNREACHABLE_STORAGE}${failed.length > 1 ? 's' : ''} ${list}`.slice(0, 2000);
}

/** How a storage reason starts: the storage checks change only a host they made non-operational
 * (a missing required network is the network checks' to clear). */
export const UNREACHABLE_STORAGE = 'cannot reach storage domain';

/** The lifecycle actions and the statuses each may start from. */
export const LIFECYCLE_FROM = {
  attach: [StorageDomainStatus.Detached],
  activate: [StorageDomainStatus.Inactive, StorageDomainStatus.Maintenance, StorageDomainStatus.Unknown],
  maintenance: [StorageDomainStatus.Active, StorageDomainStatus.Degraded],
  detach: [StorageDomainStatus.Inactive, StorageDomainStatus.Maintenance, StorageDomainStatus.Unknown],
  delete: [
    StorageDomainStatus.Detached,
    StorageDomainStatus.Inactive,
    StorageDomainStatus.Maintenance,
    StorageDomainStatus.Unknown,
  ],
  /** Editing the path or the connection: never while hosts use the pool. */
  editLocation: [
    StorageDomainStatus.Detached,
    StorageDomainStatus.Inactive,
    StorageDomainStatus.Maintenance,
    StorageDomainStatus.Unknown,
  ],
} as const satisfies Record<string, readonly StorageDomainStatus[]>;
export type LifecycleAction = keyof typeof LIFECYCLE_FROM;

export const mayStart = (action: LifecycleAction, status: StorageDomainStatus) =>
  (LIFECYCLE_FROM[action] as readonly StorageDomainStatus[]).includes(status);
