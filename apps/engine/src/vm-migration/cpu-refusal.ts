import { HostSchedulingVerdict, SchedulingFilter } from '@kelpie/shared-types';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { VmEntity } from '../vms/vm.entity';
import { hostRef } from './migration.repository';

/**
 * A requested target the cluster CPU model cannot run on: the request is fine, the target's CPU is
 * what stands in the way, so 409 (not 422). The filter's reason names at most a dozen features; the
 * second detail lists every feature the host reported missing for the model, for an admin to act on.
 */
export function cpuModelRefusal(
  vm: VmEntity,
  target: HostEntity,
  verdict: HostSchedulingVerdict,
  cpuModel: string | null,
): DomainError | null {
  if (verdict.filteredBy?.filter !== SchedulingFilter.CpuModel) return null;
  const reason = verdict.filteredBy.reason;
  const missing = cpuModel ? target.capabilities?.cpuModes?.missingFeatures?.[cpuModel] : undefined;
  return invalidState(`host ${target.name} cannot receive VM ${vm.name}: ${reason}`, [
    { field: 'targetHostId', reason, ref: hostRef(target) },
    ...(missing?.length
      ? [{ field: 'targetHostId', reason: `missing CPU features: ${missing.join(', ')}` }]
      : []),
  ]);
}
