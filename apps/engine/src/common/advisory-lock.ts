import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` while holding the Postgres session advisory lock `key`, on a connection of its own:
 * callers with the same key run one after the other, and the lock dies with its connection (a
 * process killed while holding it never leaves it held).
 */
export async function withAdvisoryLock<T>(ds: DataSource, key: bigint, work: () => Promise<T>): Promise<T> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [key.toString()]);
    return await work();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch(() => undefined);
    await lock.release();
  }
}

/**
 * Takes the transaction-scoped advisory lock `key` inside `em`'s transaction: transactions with the
 * same key commit one after the other; the lock ends with the transaction, whatever happens to it.
 */
export async function takeTransactionAdvisoryLock(em: EntityManager, key: bigint): Promise<void> {
  await em.query('SELECT pg_advisory_xact_lock($1)', [key.toString()]);
}
