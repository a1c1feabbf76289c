/** A migration whose task is still active, as ownership decisions need it. */
export interface ActiveMigration {
  id: string;
  source_host_id: string;
  target_host_id: string;
}

/** The two facts that move a migrating VM's owner, each recorded once by its first report. */
export type OwnershipFacts = { target_running_at: Date | null; source_gone_at: Date | null };

/**
 * What ownership decisions need of live migration's rows. The rows are vm-migration/'s, which sits
 * above this folder (vm-migration → agents → vm-ownership): it provides this port (its
 * MigrationRepository), and readers below it look the port up when they need it.
 */
export abstract class MigrationFactsPort {
  /** The VM's newest migration whose row is `running` and whose task is still active, if any. */
  abstract activeOf(vmId: string): Promise<ActiveMigration | undefined>;

  /** Records `fact` now unless already recorded; returns both facts as they stand. */
  abstract recordFact(
    id: string,
    fact: 'target_running_at' | 'source_gone_at',
  ): Promise<OwnershipFacts | undefined>;

  /** The VMs that have a `running` migration row (whatever its task: a superset of those migrating). */
  abstract runningVmIds(): Promise<Set<string>>;
}
