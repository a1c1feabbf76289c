import type { DataSource } from 'typeorm';

/** Advisory lock key of the migration run (any fixed 64-bit number; advisory locks are per database). */
export const MIGRATION_LOCK_KEY = 4_607_164_700_190_219n;

/**
 * Runs pending migrations while holding a Postgres session advisory lock, so engines booting at
 * the same time on one database migrate one after the other: the first applies them, the others
 * wait, then find nothing pending. The lock lives on a connection of its own and dies with it, so an
 * engine killed mid-migration never leaves the database locked.
 */
export async function runMigrationsUnderLock(ds: DataSource): Promise<string[]> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    await lock.release();
  }
}
