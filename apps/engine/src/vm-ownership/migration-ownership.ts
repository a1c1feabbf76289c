import { DomainSnapshot, VmStatus } from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';
import type { VmEntity } from '../vms/vm.entity';
import { isActive, vmStatusOf } from '../vms/vm-status.mapping';
import type { ActiveMigration, MigrationFactsPort, OwnershipFacts } from './migration-facts.port';

/** What VmStateSync must do with a report about a migrating VM: `patch` the VM (or nothing). */
export interface OwnershipDecision {
  patch: Partial<Pick<VmEntity, 'status' | 'statusReason' | 'hostId'>> | null;
}

/**
 * Ownership of a VM while it migrates. Never two owners: the VM stays on the source (shown
 * `migrating_from`) until the target reported it running AND the source reported it gone; only then
 * does hostId move to the target. Facts are recorded on the vm_migration row with single UPDATEs, so
 * reports handled by several engines (or out of order) agree.
 */
export class MigrationOwnership {
  constructor(private readonly facts: MigrationFactsPort) {}

  /** The VM's migration whose task is still active, if any. */
  active(vmId: string): Promise<ActiveMigration | undefined> {
    return this.facts.activeOf(vmId);
  }

  /** null: no migration in progress, apply the report as usual. */
  async decide(
    host: Pick<HostEntity, 'id'>,
    vm: VmEntity,
    domain: DomainSnapshot | null,
  ): Promise<OwnershipDecision | null> {
    const m = await this.active(vm.id);
    if (!m) return null;
    const status = vmStatusOf(domain);
    let facts: OwnershipFacts | undefined;
    if (host.id === m.target_host_id) {
      if (!domain || status !== VmStatus.Up) return { patch: null };
      facts = await this.facts.recordFact(m.id, 'target_running_at');
    } else if (host.id === m.source_host_id) {
      if (domain && isActive(status)) {
        return {
          patch: {
            status: VmStatus.MigratingFrom,
            statusReason: `migrating to another host (${domain.reason ?? status})`,
            hostId: m.source_host_id,
          },
        };
      }
      facts = await this.facts.recordFact(m.id, 'source_gone_at');
    } else {
      return { patch: null };
    }
    return ownershipAfter(m, facts);
  }

  /** The source agent's `vm.migrate` succeeded: libvirt moved the domain and undefined it on the
   * source, which is the source's "gone" as surely as its event report (that may come later). */
  async sourceReleased(m: ActiveMigration): Promise<OwnershipDecision> {
    return ownershipAfter(m, await this.facts.recordFact(m.id, 'source_gone_at'));
  }

  /** The target was asked directly and runs the VM (a migration settled by asking both hosts):
   * as sure as its report, which a restarted libvirtd may never send. */
  async targetRunning(id: string): Promise<void> {
    await this.facts.recordFact(id, 'target_running_at');
  }
}

/** Never two owners: hostId moves to the target only once both facts are in. */
function ownershipAfter(m: ActiveMigration, facts: OwnershipFacts | undefined): OwnershipDecision {
  if (facts?.target_running_at && facts.source_gone_at) {
    return { patch: { status: VmStatus.Up, statusReason: 'migrated', hostId: m.target_host_id } };
  }
  return {
    patch: {
      status: VmStatus.MigratingFrom,
      statusReason: facts?.target_running_at
        ? 'running on the target; waiting for the source to release it'
        : 'source released it; waiting for the target to report it running',
      hostId: m.source_host_id,
    },
  };
}
