import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** The row-count estimate of the table named by $1 (see estimatedRows); benchmarks time it raw (this
 * file has no decorators, so tsx can load it outside the engine). */
export const ESTIMATED_ROWS_SQL = `SELECT CASE WHEN c.reltuples >= 0 AND c.relpages > 0
            THEN round(c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))
            ELSE (SELECT NULLIF(s.n_live_tup, 0) FROM pg_stat_user_tables s WHERE s.relid = c.oid)
       END AS n
  FROM pg_class c WHERE c.oid = to_regclass($1)`;

/**
 * The table's current row count as Postgres estimates it: from its last ANALYZE (rows per page times
 * the pages it has now), or before any ANALYZE the statistics collector's live-row count — a fleet that
 * registered its hosts minutes ago has 50,000 VMs and no ANALYZE yet, and counting them on every list
 * request was a sequential scan each time. Null when Postgres knows nothing of the table.
 */
export async function estimatedRows(qb: SelectQueryBuilder<ObjectLiteral>): Promise<number | null> {
  const table = qb.expressionMap.mainAlias?.metadata.tablePath;
  if (!table) return null;
  const rows: { n: string | null }[] = await qb.connection.query(ESTIMATED_ROWS_SQL, [table]);
  return rows[0]?.n == null ? null : Number(rows[0].n);
}
