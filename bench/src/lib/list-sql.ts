import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { ESTIMATED_ROWS_SQL } from '@kelpie/engine/testing';

/** The first page `GET /vms?limit=50` reads (default sort: name, then id). */
export const FIRST_VM_PAGE_SQL = `SELECT * FROM vm v ORDER BY v.name ASC, v.id ASC LIMIT 50 OFFSET 0`;
/** TypeORM counts with COUNT(1) when nothing is joined; an unfiltered large table is estimated instead. */
export const VM_COUNT_SQL = `SELECT COUNT(1) AS cnt FROM vm v`;

/** Baseline of the VM list: its two statements (page, and the estimate or the count) side by side
 * through `pg`, as the engine runs them; the time and the page's rows. */
export async function timeFirstVmPageSql(
  pool: Pool,
  total: 'estimate' | 'count',
): Promise<{ ms: number; rows: unknown[] }> {
  const s = performance.now();
  const [rows] = await Promise.all([
    pool.query(FIRST_VM_PAGE_SQL).then((r) => r.rows),
    total === 'estimate' ? pool.query(ESTIMATED_ROWS_SQL, ['vm']) : pool.query(VM_COUNT_SQL),
  ]);
  return { ms: performance.now() - s, rows };
}
