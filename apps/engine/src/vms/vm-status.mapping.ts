import { DomainSnapshot, VmStatus } from '@kelpie/shared-types';

/** libvirt's domain state (and reason) → the VM status admins see. */
export function vmStatusOf(domain: Pick<DomainSnapshot, 'state' | 'reason'> | null): VmStatus {
  if (!domain) return VmStatus.Down;
  switch (domain.state) {
    case 'running':
    case 'blocked':
      return VmStatus.Up;
    case 'paused':
      if (domain.reason === 'migration') return VmStatus.MigratingFrom;
      if (domain.reason === 'incoming migration' || domain.reason === 'migrating')
        return VmStatus.MigratingTo;
      return VmStatus.Paused;
    case 'pmsuspended':
      return VmStatus.Suspended;
    case 'shutdown':
      return VmStatus.PoweringDown;
    case 'crashed':
      return VmStatus.Crashed;
    case 'shutoff':
      return VmStatus.Down;
    default:
      return VmStatus.Unknown;
  }
}

/** States in which a domain occupies its host (it is "running there"). */
export function isActive(status: VmStatus): boolean {
  return status !== VmStatus.Down && status !== VmStatus.Unknown && status !== VmStatus.Crashed;
}
