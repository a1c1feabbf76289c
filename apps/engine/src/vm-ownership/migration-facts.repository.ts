import type { EntityManager } from 'typeorm';

/** A migration whose task is still active, as ownership decisions need it. */
export interface ActiveMigration {
  id: string;
  source_host_id: string;
  target_host_id: string;
}

/** The two facts that move a migrating VM's owner, each recorded once by its first report. */
export type OwnershipFacts = { target_running_at: Date | null; source_gone_at: Date | null };

/**
 * The vm_migration statements ownership decisions need. The table is live migration's; this sits
 * below it (vm-migration → agents → vm-ownership) because the report consumer reads it too.
 * Works in the caller's transaction (`em`).
 */
export class MigrationFactsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The VM's migration whose task is still active, if any. */
  async activeOf(vmId: string): Promise<ActiveMigration | undefined> {
    const rows: ActiveMigration[] = await this.em.query(
      `SELECT m.id, m.source_host_id, m.target_host_id FROM vm_migration m JOIN task t ON t.id = m.id
        WHERE m.vm_id = $1 AND m.status = 'running' AND t.status IN ('queued', 'running')
        ORDER BY m.created_at DESC LIMIT 1`,
      [vmId],
    );
    return rows[0];
  }

  /** Records `fact` now unless already recorded; returns both facts as they stand. */
  async record(
    id: string,
    fact: 'target_running_at' | 'source_gone_at',
  ): Promise<OwnershipFacts | undefined> {
    const res: unknown = await this.em.query(
      fact === 'target_running_at'
        ? `UPDATE vm_migration SET target_running_at = COALESCE(target_running_at, now()) WHERE id = $1
            RETURNING target_running_at, source_gone_at`
        : `UPDATE vm_migration SET source_gone_at = COALESCE(source_gone_at, now()) WHERE id = $1
            RETURNING target_running_at, source_gone_at`,
      [id],
    );
    const rows = (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as OwnershipFacts[];
    return rows[0];
  }
}
