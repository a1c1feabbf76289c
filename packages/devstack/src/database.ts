import { Client } from 'pg';
import { ADMIN_DATABASE_URL, DATABASE_NAME } from './settings';

/** Creates the platform's database when missing; the engine runs its migrations at boot. */
export async function ensureDatabase(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${DATABASE_NAME}"`);
  } finally {
    await admin.end();
  }
}
