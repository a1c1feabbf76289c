import { DataSource } from 'typeorm';

/** One short connection for a tool's questions (no entities, no migrations). */
async function queryOnce<T>(databaseUrl: string, sql: string): Promise<T[]> {
  const ds = new DataSource({ type: 'postgres', url: databaseUrl, logging: false });
  await ds.initialize();
  try {
    return (await ds.query(sql)) as T[];
  } finally {
    await ds.destroy();
  }
}

/** The newest applied schema migration, or null for a database the engine never migrated. */
export async function schemaVersionOf(databaseUrl: string): Promise<string | null> {
  const [table] = await queryOnce<{ t: string | null }>(
    databaseUrl,
    `SELECT to_regclass('public.migrations') AS t`,
  );
  if (!table?.t) return null;
  const [last] = await queryOnce<{ name: string }>(
    databaseUrl,
    `SELECT name FROM migrations ORDER BY "timestamp" DESC, id DESC LIMIT 1`,
  );
  return last?.name ?? null;
}

/** How many tables the public schema has: a restore goes only into an empty database. */
export async function tableCount(databaseUrl: string): Promise<number> {
  const [r] = await queryOnce<{ n: number }>(
    databaseUrl,
    `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
  );
  return r?.n ?? 0;
}
