import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database of its own for one test file, so runs never disturb each other or the `up` platform. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.KELPIE_TEST_DATABASE_URL!;
  const name = `kelpie_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A Redis key prefix of its own for one test file. */
export function testRedisPrefix(): string {
  return `kelpie_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
