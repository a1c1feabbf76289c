import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';

/** The caller's grants, as the engine reads them once per request. */
const GRANTS_SQL = `SELECT g.object_type, g.object_id, r.permissions FROM role_grant g JOIN role r ON r.id = g.role_id
  WHERE (g.principal_type = 'user' AND g.principal_id = $1)
     OR (g.principal_type = 'group' AND g.principal_id = ANY($2::uuid[]))`;

/** One link of an object's chain: its owner's statement, and where the chain goes on (the column
 * naming the next object and that object's kind). */
interface Link {
  sql: string;
  next?: { column: string; kind: string };
}

/** What each owner's port reads, by primary key, one statement a link (the engine's TypeORM spells
 * the same reads with aliases). */
const LINKS: Record<string, Link> = {
  vm: { sql: 'SELECT id, cluster_id, datacenter_id FROM vm WHERE id = $1 LIMIT 1' },
  disk: {
    sql: 'SELECT id, vm_id, storage_domain_id FROM disk WHERE id = $1 LIMIT 1',
    next: { column: 'vm_id', kind: 'vm' },
  },
  nic: { sql: 'SELECT id, vm_id FROM nic WHERE id = $1 LIMIT 1', next: { column: 'vm_id', kind: 'vm' } },
  snapshot: {
    sql: 'SELECT id, vm_id FROM snapshot WHERE id = $1 LIMIT 1',
    next: { column: 'vm_id', kind: 'vm' },
  },
  migration: { sql: 'SELECT vm_id FROM vm_migration WHERE id = $1', next: { column: 'vm_id', kind: 'vm' } },
  task: {
    sql: 'SELECT target_type, target_id FROM task WHERE id = $1',
    next: { column: 'target_id', kind: 'target_type' },
  },
};

/** Baseline of one check: the caller's grants, then the chain's statements one after the other as
 * the engine runs them, through `pg` in this process. Answers the time and the statements run. */
export async function timeCheckSql(
  pool: Pool,
  userId: string,
  kind: string,
  id: string,
): Promise<{ ms: number; statements: number }> {
  const s = performance.now();
  await pool.query(GRANTS_SQL, [userId, []]);
  let statements = 1;
  let at: { kind: string; id: string } | null = { kind, id };
  while (at) {
    const link: Link = LINKS[at.kind];
    const row = (await pool.query(link.sql, [at.id])).rows[0] as Record<string, string> | undefined;
    statements++;
    if (!row) throw new Error(`${at.kind} ${at.id} not found`);
    at = link.next
      ? {
          kind: link.next.kind === 'target_type' ? row.target_type : link.next.kind,
          id: row[link.next.column],
        }
      : null;
  }
  return { ms: performance.now() - s, statements };
}
