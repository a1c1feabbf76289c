import type { DataSource } from 'typeorm';
import { withAdvisoryLock } from '../common/advisory-lock';

/** Advisory lock key of the migration run (any fixed 64-bit number; advisory locks are per database). */
export const MIGRATION_LOCK_KEY = 4_607_164_700_190_219n;

/**
 * Runs pending migrations while holding a Postgres session advisory lock, so engines booting at
 * the same time on one database migrate one after the other: the first applies them, the others
 * wait, then find nothing pending. An engine killed mid-migration never leaves the database locked.
 */
export async function runMigrationsUnderLock(ds: DataSource): Promise<string[]> {
  return withAdvisoryLock(ds, MIGRATION_LOCK_KEY, async () => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  });
}
