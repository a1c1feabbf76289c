import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A throwaway database next to the one at `adminUrl` (needs CREATEDB), dropped afterwards. */
export async function withScratchDatabase<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `kelpie_scratch_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url: adminUrl });
  await admin.initialize();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.destroy();
  }
}
