import { ErrorCode, ObjectType, SchedulingDecision, SchedulingFilter } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';

/**
 * When no host fits and an enforcing affinity group refused some host, the rule — not the hosts'
 * capacity — is what stands in the way: the caller answers 409 naming it (and each host's reason)
 * instead of 422. Empty when a host was chosen or no affinity group refused one.
 */
export function affinityBlocks(d: SchedulingDecision): string[] {
  if (d.hostId) return [];
  return d.hosts
    .filter((v) => v.filteredBy?.filter === SchedulingFilter.Affinity)
    .map((v) => `${v.hostName}: ${v.filteredBy!.reason}`);
}

/**
 * The error for a VM defined nowhere that no host can take (create, start, a provisioning task): 409
 * naming the enforcing affinity group(s) when one refused a host, else 422 with each host's reason.
 */
export function unplaceable(vmName: string, d: SchedulingDecision): DomainError {
  const details = d.hosts.map((h) => ({
    reason: `${h.hostName}: ${h.filteredBy!.reason}`,
    ref: { type: ObjectType.Host, id: h.hostId, name: h.hostName },
  }));
  const blocks = affinityBlocks(d);
  if (!blocks.length) return new DomainError(ErrorCode.Unprocessable, d.summary, details);
  return new DomainError(
    ErrorCode.Conflict,
    `no host can run VM ${vmName} without breaking an enforcing affinity group: ${blocks.join('; ')}`,
    details,
  );
}
