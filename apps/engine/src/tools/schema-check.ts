/**
 * Do the entities and the migrations describe the same schema?
 *
 * Runs every migration on a scratch database, then asks TypeORM which statements would bring the
 * schema to what the entities declare. Any statement means they disagree: it prints them and exits 1.
 *
 *   pnpm --filter @kelpie/engine build && node apps/engine/dist/tools/schema-check.js
 *   … --no-migrations   prints the full schema TypeORM would create (a starting point for a new migration)
 *
 * Admin connection: KELPIE_SCHEMA_CHECK_DATABASE_URL, else KELPIE_TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';
import { withScratchDatabase } from './scratch-database';

export interface SchemaDiff {
  up: string[];
  down: string[];
}

export async function schemaDiff(adminUrl: string, runMigrations = true): Promise<SchemaDiff> {
  return withScratchDatabase(adminUrl, async (url) => {
    const ds = new DataSource({ ...dataSourceOptions(url), logging: false });
    await ds.initialize();
    try {
      if (runMigrations) await ds.runMigrations({ transaction: 'each' });
      const log = await ds.driver.createSchemaBuilder().log();
      const sql = (q: { query: string; parameters?: unknown[] }) =>
        q.parameters?.length ? `${q.query} -- ${JSON.stringify(q.parameters)}` : q.query;
      return { up: log.upQueries.map(sql), down: log.downQueries.map(sql) };
    } finally {
      await ds.destroy();
    }
  });
}

async function main(): Promise<number> {
  const adminUrl =
    process.env.KELPIE_SCHEMA_CHECK_DATABASE_URL ??
    process.env.KELPIE_TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const noMigrations = process.argv.includes('--no-migrations');
  const diff = await schemaDiff(adminUrl, !noMigrations);
  if (noMigrations) {
    console.log(diff.up.map((q) => `${q};`).join('\n'));
    return 0;
  }
  if (!diff.up.length) {
    console.log('schema check: migrations and entities agree');
    return 0;
  }
  console.error(`schema check: entities and migrations disagree; TypeORM would run:\n`);
  console.error(diff.up.map((q) => `  ${q};`).join('\n'));
  console.error('\nadd a migration (never edit a released one) or fix the entities.');
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
