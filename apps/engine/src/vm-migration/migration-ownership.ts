import { DomainSnapshot, VmStatus } from '@kelpie/shared-types';
import type { EntityManager } from 'typeorm';
import type { HostEntity } from '../hosts/host.entity';
import type { VmEntity } from '../vms/vm.entity';
import { isActive, vmStatusOf } from '../agents/vm-status.mapping';

type Facts = { target_running_at: Date | null; source_gone_at: Date | null };

export interface ActiveMigration {
  id: string;
  source_host_id: string;
  target_host_id: string;
}

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
  constructor(private readonly db: EntityManager) {}

  /** The VM's migration whose task is still active, if any. */
  async active(vmId: string): Promise<ActiveMigration | undefined> {
    const rows: ActiveMigration[] = await this.db.query(
      `SELECT m.id, m.source_host_id, m.target_host_id FROM vm_migration m JOIN task t ON t.id = m.id
        WHERE m.vm_id = $1 AND m.status = 'running' AND t.status IN ('queued', 'running')
        ORDER BY m.created_at DESC LIMIT 1`,
      [vmId],
    );
    return rows[0];
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
    let facts: Facts | undefined;
    if (host.id === m.target_host_id) {
      if (!domain || status !== VmStatus.Up) return { patch: null };
      facts = await this.record(m.id, 'target_running_at');
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
      facts = await this.record(m.id, 'source_gone_at');
    } else {
      return { patch: null };
    }
    return ownershipAfter(m, facts);
  }

  /** The source agent's `vm.migrate` succeeded: libvirt moved the domain and undefined it on the
   * source, which is the source's "gone" as surely as its event report (that may come later). */
  async sourceReleased(m: ActiveMigration): Promise<OwnershipDecision> {
    return ownershipAfter(m, await this.record(m.id, 'source_gone_at'));
  }

  private async record(
    id: string,
    column: 'target_running_at' | 'source_gone_at',
  ): Promise<Facts | undefined> {
    const res: unknown = await this.db.query(
      `UPDATE vm_migration SET ${column} = COALESCE(${column}, now()) WHERE id = $1
        RETURNING target_running_at, source_gone_at`,
      [id],
    );
    const rows = (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as Facts[];
    return rows[0];
  }
}

/** Never two owners: hostId moves to the target only once both facts are in. */
function ownershipAfter(m: ActiveMigration, facts: Facts | undefined): OwnershipDecision {
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
