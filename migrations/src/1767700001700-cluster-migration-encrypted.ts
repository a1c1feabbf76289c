import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live migrations are encrypted (QEMU TLS with the engine-issued host certificates) unless the
 * cluster turns it off; existing clusters get the safe default too. */
export class ClusterMigrationEncrypted1767700001700 implements MigrationInterface {
  name = 'ClusterMigrationEncrypted1767700001700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cluster" ADD "migration_encrypted" boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cluster" DROP COLUMN "migration_encrypted"`);
  }
}
